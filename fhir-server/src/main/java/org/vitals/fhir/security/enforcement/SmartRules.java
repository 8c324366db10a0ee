package org.vitals.fhir.security.enforcement;

import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOp;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.vitals.fhir.security.SmartAccessToken;
import org.vitals.fhir.security.SmartScope;
import org.vitals.fhir.security.SmartScope.Interaction;
import org.vitals.fhir.security.SmartScope.Level;

/**
 * Turns a token's SMART scopes into HAPI authorization rules (reference: cds-hooks-and-smart.md
 * §4). {@code patient/} scopes, and {@code user/} scopes of a signed-in patient, are confined to
 * the Patient compartment of the patient in context; {@code user/} scopes of clinicians and {@code
 * system/} scopes reach every resource of their type. Reads are checked on what is returned, writes
 * on what would be stored. Anything not allowed is denied.
 */
public final class SmartRules {

  static final String LATEST_VITALS = "$latest-vitals";

  private SmartRules() {}

  public static List<IAuthRule> of(SmartAccessToken token) {
    RuleBuilder rules = new RuleBuilder();
    rules.allow("capability statement").metadata();
    // SMART has no transaction scope: each entry is authorized on its own.
    rules
        .allow("transactions, entry by entry")
        .transaction()
        .withAnyOperation()
        .andApplyNormalRules();
    Optional<IdType> patient = token.compartmentPatient().map(id -> new IdType("Patient", id));
    boolean readsObservations = false;
    boolean wide = false;
    for (SmartScope scope : token.resourceScopes()) {
      boolean confined = confined(scope, token);
      if (confined && patient.isEmpty()) {
        continue; // a patient scope without a patient in context grants nothing
      }
      wide |= !confined;
      String name = scope.toString();
      if (scope.allows(Interaction.READ) || scope.allows(Interaction.SEARCH)) {
        bound(types(rules.allow(name).read(), scope), confined, patient);
        readsObservations |= scope.appliesTo("Observation");
      }
      if (scope.allows(Interaction.CREATE) || scope.allows(Interaction.UPDATE)) {
        // create-only vs update-only is refined by ScopeInteractionInterceptor.
        bound(types(rules.allow(name).write(), scope), confined, patient);
      }
      if (scope.allows(Interaction.UPDATE)) {
        rules.allow(name).patch().allRequests();
      }
      if (scope.allows(Interaction.DELETE)) {
        bound(types(rules.allow(name).delete(), scope), confined, patient);
      }
    }
    if (readsObservations) {
      // The operation's Observations are then checked against the read rules above.
      if (wide) {
        rules
            .allow(LATEST_VITALS)
            .operation()
            .named(LATEST_VITALS)
            .onInstancesOfType(Patient.class)
            .andRequireExplicitResponseAuthorization();
      } else {
        rules
            .allow(LATEST_VITALS)
            .operation()
            .named(LATEST_VITALS)
            .onInstance(patient.get())
            .andRequireExplicitResponseAuthorization();
      }
    }
    rules.denyAll("not covered by the granted scopes");
    return rules.build();
  }

  static boolean confined(SmartScope scope, SmartAccessToken token) {
    return scope.level() == Level.PATIENT
        || (scope.level() == Level.USER && token.signedInPatient());
  }

  private static IAuthRuleBuilderRuleOpClassifier types(
      IAuthRuleBuilderRuleOp op, SmartScope scope) {
    return scope.resourceType().equals(SmartScope.ANY_TYPE)
        ? op.allResources()
        : op.resourcesOfType(scope.resourceType());
  }

  private static void bound(
      IAuthRuleBuilderRuleOpClassifier rule, boolean confined, Optional<IdType> patient) {
    if (confined) {
      // Not inCompartment(...): HAPI's default modifications are not thread-safe (see the class).
      rule.inModifiedCompartment("Patient", patient.get(), PlainPatientCompartment.INSTANCE);
    } else {
      rule.withAnyId();
    }
  }
}
