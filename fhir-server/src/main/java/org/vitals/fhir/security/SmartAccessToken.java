package org.vitals.fhir.security;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A verified access token as the FHIR API sees it: who (client, user), what (scopes) and in which
 * context (patient, encounter). Rule lists built from it are kept with it, so a token's rules are
 * built once however many requests it carries.
 */
public final class SmartAccessToken {

  private final String subject;
  private final String clientId;
  private final Set<String> scopes;
  private final List<SmartScope> resourceScopes;
  private final String fhirUser;
  private final String patient;
  private final String encounter;
  private final String issuer;
  private final List<String> audience;
  private final Instant expiresAt;
  private final AtomicReference<Object> rules = new AtomicReference<>();

  public SmartAccessToken(
      String subject,
      String clientId,
      Set<String> scopes,
      String fhirUser,
      String patient,
      String encounter,
      String issuer,
      List<String> audience,
      Instant expiresAt) {
    this.subject = subject;
    this.clientId = clientId;
    this.scopes = Set.copyOf(scopes);
    this.resourceScopes = scopes.stream().flatMap(s -> SmartScope.parse(s).stream()).toList();
    this.fhirUser = fhirUser;
    this.patient = patient;
    this.encounter = encounter;
    this.issuer = issuer;
    this.audience = List.copyOf(audience);
    this.expiresAt = expiresAt;
  }

  public String subject() {
    return subject;
  }

  public String clientId() {
    return clientId;
  }

  public Set<String> scopes() {
    return scopes;
  }

  public List<SmartScope> resourceScopes() {
    return resourceScopes;
  }

  /** Relative reference of the signed-in user ({@code Practitioner/x}, {@code Patient/y}). */
  public Optional<String> fhirUser() {
    return Optional.ofNullable(fhirUser);
  }

  /** The patient in context (an id, no type), from the launch or the signed-in patient. */
  public Optional<String> patient() {
    return Optional.ofNullable(patient);
  }

  public Optional<String> encounter() {
    return Optional.ofNullable(encounter);
  }

  public String issuer() {
    return issuer;
  }

  public List<String> audience() {
    return audience;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  /**
   * The patient whose compartment bounds this token's access: the launch patient for {@code
   * patient/} scopes; for a signed-in patient also their {@code user/} scopes (a patient user sees
   * their own record only).
   */
  public Optional<String> compartmentPatient() {
    if (patient != null) {
      return Optional.of(patient);
    }
    if (fhirUser != null && fhirUser.startsWith("Patient/")) {
      return Optional.of(fhirUser.substring("Patient/".length()));
    }
    return Optional.empty();
  }

  public boolean signedInPatient() {
    return fhirUser != null && fhirUser.startsWith("Patient/");
  }

  /** Per-token memo of derived rules (see {@code SmartAuthorizationInterceptor}). */
  @SuppressWarnings("unchecked")
  public <T> T rules(java.util.function.Supplier<T> build) {
    Object current = rules.get();
    if (current == null) {
      current = build.get();
      rules.compareAndSet(null, current);
    }
    return (T) current;
  }
}
