package org.vitals.fhir.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Launch contexts behind the opaque SMART {@code launch} parameter: which patient and encounter a
 * launch is about, who started it, and whether the app must show a patient banner. Minted by the
 * EHR launcher ({@code POST /smart/launch}) and by the patient picker; kept in memory for a short
 * while (a launch is a one-off hand-over, not a session).
 */
public final class LaunchContexts {

  /**
   * One launch.
   *
   * @param patient Patient id (no type)
   * @param encounter Encounter id or null
   * @param user the username that may use this launch, or null for anyone signed in
   * @param needPatientBanner true for standalone launches (no EHR shows the patient around the app)
   */
  public record LaunchContext(
      String patient, String encounter, String user, boolean needPatientBanner, Instant expires) {}

  private static final Duration LIFETIME = Duration.ofMinutes(15);

  private final Map<String, LaunchContext> launches = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  public LaunchContexts(Clock clock) {
    this.clock = clock;
  }

  public String mint(String patient, String encounter, String user, boolean needPatientBanner) {
    if (patient == null || !patient.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw new IllegalArgumentException("patient must be a FHIR id, was " + patient);
    }
    if (encounter != null && !encounter.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw new IllegalArgumentException("encounter must be a FHIR id, was " + encounter);
    }
    Instant now = clock.instant();
    launches.values().removeIf(l -> l.expires().isBefore(now));
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    launches.put(
        id, new LaunchContext(patient, encounter, user, needPatientBanner, now.plus(LIFETIME)));
    return id;
  }

  public Optional<LaunchContext> resolve(String launch) {
    if (launch == null) {
      return Optional.empty();
    }
    LaunchContext context = launches.get(launch);
    if (context == null || context.expires().isBefore(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(context);
  }
}
