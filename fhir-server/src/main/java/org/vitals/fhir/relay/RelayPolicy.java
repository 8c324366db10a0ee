package org.vitals.fhir.relay;

import java.util.Optional;
import org.vitals.fhir.security.SmartAccessToken;
import org.vitals.fhir.security.SmartScope;

/**
 * Who may have the relay call a CDS service for whom (decision 0806): a clinician's user-level
 * token (the signed-in user is a Practitioner or PractitionerRole; patients and backend services
 * are refused), and, for a service call, a patient the token may read: with a {@code user/} scope
 * on Patient any patient (clinicians reach every patient, decision 0801), with only {@code
 * patient/} scopes the token's own patient in context.
 */
public final class RelayPolicy {

  private RelayPolicy() {}

  /** Why this token may not use the relay at all, or empty. */
  public static Optional<String> refusal(SmartAccessToken token) {
    String user = token.fhirUser().orElse(null);
    if (user == null) {
      return Optional.of(
          "the CDS relay needs a clinician's token: this one has no signed-in user (fhirUser)");
    }
    if (!user.startsWith("Practitioner/") && !user.startsWith("PractitionerRole/")) {
      return Optional.of(
          "the CDS relay needs a clinician's token: the signed-in user is " + type(user));
    }
    return Optional.empty();
  }

  /** Why this token may not have a CDS service called for {@code patientId}, or empty. */
  public static Optional<String> refusal(SmartAccessToken token, String patientId) {
    Optional<String> user = refusal(token);
    if (user.isPresent()) {
      return user;
    }
    boolean anyPatient = false;
    boolean ownPatient = false;
    for (SmartScope scope : token.resourceScopes()) {
      if (scope.appliesTo("Patient") && scope.allows(SmartScope.Interaction.READ)) {
        anyPatient |= scope.level() == SmartScope.Level.USER;
        ownPatient |= scope.level() == SmartScope.Level.PATIENT;
      }
    }
    if (anyPatient) {
      return Optional.empty();
    }
    if (ownPatient && token.patient().filter(patientId::equals).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        ownPatient
            ? "this token is for its patient in context only, not the patient named in the request"
            : "this token may not read Patient resources (needs user/Patient.r or patient/Patient.r)");
  }

  private static String type(String reference) {
    int slash = reference.indexOf('/');
    return slash < 0 ? "of no known type" : "a " + reference.substring(0, slash);
  }
}
