package org.vitals.fhir.security.oidc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Practitioner or Patient an identity provider's account is (decision 0807): the resource the
 * {@code fhirUser} claim names, if it exists; or the one Practitioner or Patient carrying the
 * identifier the configured claim holds. Anything else (no claim, no resource, several) signs
 * nobody in.
 */
public final class FhirUserMapping {

  /** The FHIR lookups the mapping needs (the server's own DAOs; a fake in unit tests). */
  public interface Directory {
    boolean exists(String reference);

    /** References ({@code Practitioner/x}, {@code Patient/y}) with this identifier, up to two. */
    List<String> withIdentifier(String system, String value);
  }

  private static final Pattern REFERENCE =
      Pattern.compile("(?:^|/)((?:Practitioner|Patient)/[A-Za-z0-9.-]{1,64})$");

  private final OidcSettings settings;
  private final Directory directory;

  public FhirUserMapping(OidcSettings settings, Directory directory) {
    this.settings = settings;
    this.directory = directory;
  }

  /** The signed-in person's {@code Practitioner/x} or {@code Patient/y}, or why there is none. */
  public Result map(Map<String, Object> claims) {
    if (settings.byIdentifier()) {
      Object value = claims.get(settings.identifierClaim());
      if (value == null || value.toString().isBlank()) {
        return Result.refused("the account has no '" + settings.identifierClaim() + "' claim");
      }
      List<String> found =
          directory.withIdentifier(settings.identifierSystem(), value.toString().trim());
      if (found.size() != 1) {
        return Result.refused(
            (found.isEmpty() ? "no" : "more than one")
                + " Practitioner or Patient has the account's identifier ("
                + settings.identifierSystem()
                + ")");
      }
      return Result.of(found.get(0));
    }
    Object value = claims.get(settings.fhirUserClaim());
    if (value == null) {
      return Result.refused("the account has no '" + settings.fhirUserClaim() + "' claim");
    }
    Matcher m = REFERENCE.matcher(value.toString().trim());
    if (!m.find()) {
      return Result.refused(
          "the '"
              + settings.fhirUserClaim()
              + "' claim is not a Practitioner or Patient reference");
    }
    if (!directory.exists(m.group(1))) {
      return Result.refused(
          "the '"
              + settings.fhirUserClaim()
              + "' claim names a resource this server does not hold");
    }
    return Result.of(m.group(1));
  }

  /** A mapped reference, or the reason for refusing the sign-in (no patient data in it). */
  public record Result(Optional<String> fhirUser, String refusal) {
    static Result of(String reference) {
      return new Result(Optional.of(reference), null);
    }

    static Result refused(String why) {
      return new Result(Optional.empty(), why);
    }
  }
}
