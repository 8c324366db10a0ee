package org.vitals.fhir.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Type;

/**
 * The constraints of the FHIR R4 vital-signs profiles as plain code: fast enough to run on every
 * write at thousands of Observations per second, where the full instance validator costs
 * milliseconds each (docs/decisions/0005-vital-signs-validation.md). Each rule names the profile
 * element or invariant it comes from; {@code VitalSignRulesAgreementTest} checks that these rules
 * reject what the HAPI instance validator rejects.
 */
public final class VitalSignRules {

  private VitalSignRules() {}

  /** One failed rule: which profile, which element, what was wrong. */
  public record Violation(String profileUrl, String path, String rule, String message) {
    @Override
    public String toString() {
      return rule + " at " + path + ": " + message + " (" + profileUrl + ")";
    }
  }

  /** Whether the vital-signs profiles govern this Observation: by category or by code. */
  public static boolean applies(Observation observation) {
    return hasVitalSignsCategory(observation)
        || VitalSignProfile.forCode(observation.getCode()).isPresent();
  }

  /** Every violated rule; empty when the Observation conforms (or is not a vital sign). */
  public static List<Violation> check(Observation observation) {
    List<Violation> violations = new ArrayList<>();
    if (!applies(observation)) {
      return violations;
    }
    Optional<VitalSignProfile> specific = VitalSignProfile.forCode(observation.getCode());
    String url = specific.map(VitalSignProfile::url).orElse(VitalSignProfile.BASE_PROFILE);
    checkBase(observation, url, violations);
    specific.ifPresent(profile -> checkSpecific(observation, profile, violations));
    return violations;
  }

  private static void checkBase(Observation obs, String url, List<Violation> out) {
    if (!obs.hasStatus()) {
      out.add(new Violation(url, "Observation.status", "min-1", "status is required"));
    }
    if (!hasVitalSignsCategory(obs)) {
      out.add(
          new Violation(
              url,
              "Observation.category",
              "VSCat",
              "a category coding "
                  + VitalSignProfile.CATEGORY_SYSTEM
                  + "|vital-signs is required"));
    }
    if (!obs.hasCode() || !obs.getCode().hasCoding()) {
      out.add(new Violation(url, "Observation.code", "min-1", "code with a coding is required"));
    }
    if (!obs.hasSubject()
        || !obs.getSubject().hasReference() && !obs.getSubject().hasIdentifier()) {
      out.add(
          new Violation(url, "Observation.subject", "min-1", "subject (a Patient) is required"));
    } else if (obs.getSubject().hasReference()
        && !obs.getSubject().getReference().startsWith("Patient/")
        && !obs.getSubject().getReference().startsWith("urn:uuid:")
        && !obs.getSubject().getReference().contains("/Patient/")) {
      out.add(
          new Violation(
              url,
              "Observation.subject",
              "type",
              "subject must reference a Patient, not '" + obs.getSubject().getReference() + "'"));
    }
    if (!obs.hasEffective()) {
      out.add(
          new Violation(
              url,
              "Observation.effective[x]",
              "min-1",
              "effectiveDateTime or effectivePeriod is required"));
    } else if (!(obs.getEffective() instanceof DateTimeType) && !obs.hasEffectivePeriod()) {
      out.add(
          new Violation(
              url,
              "Observation.effective[x]",
              "type",
              "effective[x] must be a dateTime or a Period, not " + obs.getEffective().fhirType()));
    } else if (obs.getEffective() instanceof DateTimeType dateTime
        && dateTime.getValueAsString() != null
        && dateTime.getValueAsString().length() < 10) {
      out.add(
          new Violation(
              url,
              "Observation.effective[x]",
              "vs-1",
              "effectiveDateTime must be precise to the day at least"));
    }
    if (!obs.hasComponent()
        && !obs.hasHasMember()
        && !obs.hasValue()
        && !obs.hasDataAbsentReason()) {
      out.add(
          new Violation(
              url,
              "Observation",
              "vs-2",
              "a value[x] or a dataAbsentReason is required when there is no component or"
                  + " hasMember"));
    }
    if (obs.hasValue() && obs.hasDataAbsentReason()) {
      out.add(
          new Violation(
              url,
              "Observation.dataAbsentReason",
              "obs-6",
              "dataAbsentReason must only be present when value[x] is absent"));
    }
    if (obs.hasValueQuantity()) {
      checkQuantity(obs.getValueQuantity(), "Observation.valueQuantity", url, out);
    }
    for (int i = 0; i < obs.getComponent().size(); i++) {
      ObservationComponentComponent component = obs.getComponent().get(i);
      String path = "Observation.component[" + i + "]";
      if (!component.hasCode() || !component.getCode().hasCoding()) {
        out.add(new Violation(url, path + ".code", "min-1", "component code is required"));
      }
      if (!component.hasValue() && !component.hasDataAbsentReason()) {
        out.add(
            new Violation(url, path, "vs-3", "a component needs a value[x] or a dataAbsentReason"));
      }
      if (component.hasValue() && component.hasDataAbsentReason()) {
        out.add(
            new Violation(
                url,
                path + ".dataAbsentReason",
                "obs-6",
                "dataAbsentReason must only be present when value[x] is absent"));
      }
      if (component.hasValueQuantity()) {
        checkQuantity(component.getValueQuantity(), path + ".valueQuantity", url, out);
      }
    }
  }

  private static void checkQuantity(Quantity q, String path, String url, List<Violation> out) {
    if (!q.hasValue()) {
      out.add(new Violation(url, path + ".value", "min-1", "a quantity needs a value"));
    }
    if (!q.hasUnit()) {
      out.add(new Violation(url, path + ".unit", "min-1", "a quantity needs a unit"));
    }
    if (!VitalSignProfile.UCUM.equals(q.getSystem())) {
      out.add(
          new Violation(
              url,
              path + ".system",
              "fixed",
              "unit system must be " + VitalSignProfile.UCUM + ", got '" + q.getSystem() + "'"));
    }
    if (!q.hasCode()) {
      out.add(new Violation(url, path + ".code", "min-1", "a UCUM unit code is required"));
    }
  }

  private static void checkSpecific(
      Observation obs, VitalSignProfile profile, List<Violation> out) {
    String url = profile.url();
    if (!hasCoding(obs.getCode(), VitalSignProfile.LOINC, profile.requiredLoinc())) {
      out.add(
          new Violation(
              url,
              "Observation.code.coding",
              "pattern",
              "the "
                  + profile.id()
                  + " profile requires the LOINC coding "
                  + profile.requiredLoinc()));
    }
    if (profile.isPanel()) {
      return;
    }
    if (profile.isBloodPressure()) {
      checkBloodPressureComponent(obs, VitalSignProfile.SYSTOLIC, "SystolicBP", url, out);
      checkBloodPressureComponent(obs, VitalSignProfile.DIASTOLIC, "DiastolicBP", url, out);
      return;
    }
    Type value = obs.getValue();
    if (value != null && !obs.hasValueQuantity()) {
      out.add(
          new Violation(
              url,
              "Observation.value[x]",
              "type",
              "the "
                  + profile.id()
                  + " profile allows only valueQuantity, not "
                  + value.fhirType()));
    }
    if (obs.hasValueQuantity()
        && obs.getValueQuantity().hasCode()
        && !profile.units().contains(obs.getValueQuantity().getCode())) {
      out.add(
          new Violation(
              url,
              "Observation.valueQuantity.code",
              "fixed",
              "unit '"
                  + obs.getValueQuantity().getCode()
                  + "' is not allowed, use "
                  + String.join(" or ", profile.units().stream().sorted().toList())));
    }
  }

  private static void checkBloodPressureComponent(
      Observation obs, String loinc, String slice, String url, List<Violation> out) {
    List<ObservationComponentComponent> matches =
        obs.getComponent().stream()
            .filter(c -> hasCoding(c.getCode(), VitalSignProfile.LOINC, loinc))
            .toList();
    if (matches.size() != 1) {
      out.add(
          new Violation(
              url,
              "Observation.component:" + slice,
              "slice-cardinality",
              "exactly one component coded LOINC "
                  + loinc
                  + " is required, found "
                  + matches.size()));
      return;
    }
    ObservationComponentComponent component = matches.get(0);
    if (component.hasValue() && !component.hasValueQuantity()) {
      out.add(
          new Violation(
              url,
              "Observation.component:" + slice + ".value[x]",
              "type",
              "only valueQuantity is allowed, not " + component.getValue().fhirType()));
    }
    if (component.hasValueQuantity()
        && component.getValueQuantity().hasCode()
        && !VitalSignProfile.MM_HG.equals(component.getValueQuantity().getCode())) {
      out.add(
          new Violation(
              url,
              "Observation.component:" + slice + ".valueQuantity.code",
              "fixed",
              "unit '" + component.getValueQuantity().getCode() + "' is not allowed, use mm[Hg]"));
    }
  }

  static boolean hasVitalSignsCategory(Observation obs) {
    return obs.getCategory().stream()
        .anyMatch(c -> hasCoding(c, VitalSignProfile.CATEGORY_SYSTEM, "vital-signs"));
  }

  private static boolean hasCoding(CodeableConcept concept, String system, String code) {
    if (concept == null) {
      return false;
    }
    for (Coding coding : concept.getCoding()) {
      if (system.equals(coding.getSystem()) && code.equals(coding.getCode())) {
        return true;
      }
    }
    return false;
  }
}
