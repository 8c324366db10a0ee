package org.vitals.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Observation;

/**
 * The HAPI instance validator over the core R4 profiles, offline (the profiles ship in
 * hapi-fhir-validation-resources-r4; LOINC and SNOMED are not bundled, so unknown codes are
 * warnings). Used in {@code full} validation mode and as the reference the fast rules are tested
 * against.
 */
public final class FullProfileValidator {

  private final FhirValidator validator;

  public FullProfileValidator(FhirContext context) {
    ValidationSupportChain chain =
        new ValidationSupportChain(
            new DefaultProfileValidationSupport(context),
            new CommonCodeSystemsTerminologyService(context),
            new InMemoryTerminologyServerValidationSupport(context),
            new SnapshotGeneratingValidationSupport(context));
    FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
    instanceValidator.setAnyExtensionsAllowed(true);
    validator = context.newValidator();
    validator.setValidateAgainstStandardSchema(false);
    validator.setValidateAgainstStandardSchematron(false);
    validator.registerValidatorModule(instanceValidator);
  }

  /**
   * The messages of severity error or fatal from validating against the vital-signs profile that
   * governs this Observation (by its code, else the base vitalsigns profile). The profile is
   * declared on a copy, because this validator version applies only declared profiles.
   */
  public List<SingleValidationMessage> errors(Observation observation) {
    Observation copy = observation.copy();
    String profile =
        VitalSignProfile.forCode(copy.getCode())
            .map(VitalSignProfile::url)
            .orElse(VitalSignProfile.BASE_PROFILE);
    if (!copy.getMeta().hasProfile(profile)) {
      copy.getMeta().addProfile(profile);
    }
    ValidationResult result = validator.validateWithResult(copy);
    return result.getMessages().stream()
        .filter(
            m ->
                m.getSeverity() == ResultSeverityEnum.ERROR
                    || m.getSeverity() == ResultSeverityEnum.FATAL)
        .toList();
  }
}
