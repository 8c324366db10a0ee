package org.vitals.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.vitals.fhir.config.VitalsServerProperties.ValidationMode;

/**
 * Rejects, with 422 and an OperationOutcome naming each failed rule, any Observation written that
 * falls under the FHIR R4 vital-signs profiles and does not conform. Runs inside the storage
 * transaction, so a failing entry rolls back its whole transaction Bundle.
 */
@Interceptor
public class VitalSignsConformanceInterceptor {

  private final ValidationMode mode;
  private final FullProfileValidator fullValidator;

  public VitalSignsConformanceInterceptor(FhirContext context, ValidationMode mode) {
    this.mode = mode;
    this.fullValidator = mode == ValidationMode.FULL ? new FullProfileValidator(context) : null;
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    check(resource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource) {
    check(resource);
  }

  void check(IBaseResource resource) {
    if (mode == ValidationMode.OFF || !(resource instanceof Observation observation)) {
      return;
    }
    if (!VitalSignRules.applies(observation)) {
      return;
    }
    OperationOutcome outcome = new OperationOutcome();
    if (mode == ValidationMode.FULL) {
      List<SingleValidationMessage> errors = fullValidator.errors(observation);
      errors.forEach(e -> issue(outcome, e.getLocationString(), e.getMessageId(), e.getMessage()));
    } else {
      VitalSignRules.check(observation)
          .forEach(
              v -> issue(outcome, v.path(), v.rule(), v.message() + " (" + v.profileUrl() + ")"));
    }
    if (outcome.hasIssue()) {
      throw new UnprocessableEntityException(
          "Observation does not conform to the FHIR R4 vital-signs profiles: "
              + outcome.getIssueFirstRep().getDiagnostics(),
          outcome);
    }
  }

  private static void issue(OperationOutcome outcome, String path, String rule, String message) {
    outcome
        .addIssue()
        .setSeverity(IssueSeverity.ERROR)
        .setCode(IssueType.PROCESSING)
        .setDiagnostics("[" + rule + "] " + path + ": " + message)
        .addExpression(path);
  }
}
