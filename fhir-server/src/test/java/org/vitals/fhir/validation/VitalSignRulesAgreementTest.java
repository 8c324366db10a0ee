package org.vitals.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vitals.fhir.VitalSignsFixtures.*;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fast vital-sign rules must accept what HAPI's instance validator accepts against the R4
 * vital-signs profiles and reject what it rejects, case by case.
 */
class VitalSignRulesAgreementTest {

  static FullProfileValidator validator;

  @BeforeAll
  static void validator() {
    validator = new FullProfileValidator(FhirContext.forR4Cached());
  }

  static Map<String, Supplier<Observation>> conforming() {
    Map<String, Supplier<Observation>> cases = new LinkedHashMap<>();
    cases.put("heart rate", () -> heartRate("Patient/p1", 72));
    cases.put("SpO2 with 2708-6 and 59408-5", () -> spo2("Patient/p1", 97));
    cases.put("respiratory rate", () -> vital("Patient/p1", "9279-1", "151562", 16, "/min"));
    cases.put("temperature Cel", () -> vital("Patient/p1", "8310-5", "150364", 37.2, "Cel"));
    cases.put("temperature degF", () -> vital("Patient/p1", "8310-5", null, 99.1, "[degF]"));
    cases.put("body weight kg", () -> vital("Patient/p1", "29463-7", null, 70.5, "kg"));
    cases.put("blood pressure", () -> bloodPressure("Patient/p1", 120, 80));
    cases.put(
        "blood pressure with MDC mean component",
        () -> {
          Observation o = bloodPressure("Patient/p1", 120, 80);
          o.addComponent()
              .setValue(quantity(93, "mm[Hg]"))
              .getCode()
              .addCoding()
              .setSystem(MDC)
              .setCode("150023");
          return o;
        });
    cases.put(
        "heart rate absent with dataAbsentReason",
        () -> {
          Observation o = heartRate("Patient/p1", 1);
          o.setValue(null);
          o.setDataAbsentReason(dataAbsent());
          return o;
        });
    cases.put(
        "glucose in vital-signs category (base profile only)",
        () -> vital("Patient/p1", "2339-0", null, 105, "mg/dL"));
    return cases;
  }

  static Map<String, Supplier<Observation>> violating() {
    Map<String, Supplier<Observation>> cases = new LinkedHashMap<>();
    cases.put(
        "heart rate in count/min",
        with(heartRate("Patient/p1", 72), o -> o.getValueQuantity().setCode("count/min")));
    cases.put(
        "heart rate without UCUM system",
        with(heartRate("Patient/p1", 72), o -> o.getValueQuantity().setSystem(null)));
    cases.put(
        "heart rate without subject", with(heartRate("Patient/p1", 72), o -> o.setSubject(null)));
    cases.put(
        "heart rate without effective time",
        with(heartRate("Patient/p1", 72), o -> o.setEffective(null)));
    cases.put(
        "heart rate with neither value nor dataAbsentReason",
        with(heartRate("Patient/p1", 72), o -> o.setValue(null)));
    cases.put(
        "heart rate as a string value",
        with(heartRate("Patient/p1", 72), o -> o.setValue(new StringType("72"))));
    cases.put(
        "heart rate as SampledData",
        () -> {
          Observation o = heartRate("Patient/p1", 72);
          o.setValue(
              new SampledData()
                  .setOrigin(quantity(0, "/min"))
                  .setPeriod(1000)
                  .setDimensions(1)
                  .setData("72 73 74"));
          return o;
        });
    cases.put(
        "SpO2 coded 59408-5 only",
        () -> {
          Observation o = vital("Patient/p1", "59408-5", "150456", 97, "%");
          return o;
        });
    cases.put(
        "SpO2 as a fraction unit",
        with(spo2("Patient/p1", 0.97), o -> o.getValueQuantity().setCode("1")));
    cases.put("temperature in K", () -> vital("Patient/p1", "8310-5", null, 310, "K"));
    cases.put(
        "heart rate without vital-signs category",
        () -> {
          Observation o = heartRate("Patient/p1", 72);
          o.getCategory().clear();
          o.addCategory().addCoding().setSystem(CATEGORY).setCode("laboratory");
          return o;
        });
    cases.put(
        "blood pressure without diastolic",
        with(bloodPressure("Patient/p1", 120, 80), o -> o.getComponent().remove(1)));
    cases.put(
        "blood pressure in mmHg (not UCUM code)",
        with(
            bloodPressure("Patient/p1", 120, 80),
            o -> o.getComponent().get(0).getValueQuantity().setCode("mmHg")));
    cases.put(
        "blood pressure component without value",
        with(bloodPressure("Patient/p1", 120, 80), o -> o.getComponent().get(0).setValue(null)));
    cases.put(
        "quantity without a value",
        with(heartRate("Patient/p1", 72), o -> o.getValueQuantity().setValue(null)));
    cases.put(
        "effective date precise only to the month",
        with(heartRate("Patient/p1", 72), o -> o.setEffective(new DateTimeType("2026-01"))));
    cases.put(
        "value and dataAbsentReason together",
        () -> {
          Observation o = heartRate("Patient/p1", 72);
          o.setDataAbsentReason(dataAbsent());
          return o;
        });
    return cases;
  }

  /** A case built from a fixture and one change to it. */
  static Supplier<Observation> with(Observation fixture, Consumer<Observation> change) {
    return () -> {
      Observation o = fixture.copy();
      change.accept(o);
      return o;
    };
  }

  static CodeableConcept dataAbsent() {
    return new CodeableConcept()
        .addCoding(
            new org.hl7.fhir.r4.model.Coding(
                "http://terminology.hl7.org/CodeSystem/data-absent-reason", "error", null));
  }

  @Test
  void conformingObservationsPassBothTheRulesAndTheInstanceValidator() {
    conforming()
        .forEach(
            (name, observation) -> {
              List<SingleValidationMessage> full = validator.errors(observation.get());
              assertThat(full).as("instance validator on '%s'", name).isEmpty();
              assertThat(VitalSignRules.check(observation.get()))
                  .as("rules on '%s'", name)
                  .isEmpty();
            });
  }

  @Test
  void violatingObservationsFailBothTheRulesAndTheInstanceValidator() {
    violating()
        .forEach(
            (name, observation) -> {
              List<SingleValidationMessage> full = validator.errors(observation.get());
              assertThat(full).as("instance validator on '%s'", name).isNotEmpty();
              assertThat(VitalSignRules.check(observation.get()))
                  .as("rules on '%s' (validator said %s)", name, full)
                  .isNotEmpty();
            });
  }

  /**
   * Where the two differ, on purpose. The offline validator cannot resolve references, so it does
   * not see that a Device is not the Patient the profiles require as subject; the rules check the
   * literal type. And the R4 vs-1 invariant's FHIRPath fails any effectivePeriod in this validator,
   * though vs-1 speaks only of dateTime values and the profiles allow Period: the rules accept a
   * Period (the gateway writes windows and strips with one).
   */
  @Test
  void knownDivergencesFromTheOfflineValidator() {
    Observation deviceSubject = heartRate("Patient/p1", 72);
    deviceSubject.setSubject(new Reference("Device/d1"));
    assertThat(VitalSignRules.check(deviceSubject))
        .singleElement()
        .satisfies(v -> assertThat(v.path()).isEqualTo("Observation.subject"));

    Observation overAPeriod = heartRate("Patient/p1", 70);
    overAPeriod.setEffective(
        new Period()
            .setStartElement(new DateTimeType("2026-01-01T10:00:00Z"))
            .setEndElement(new DateTimeType("2026-01-01T10:01:00Z")));
    assertThat(VitalSignRules.check(overAPeriod)).isEmpty();
    assertThat(validator.errors(overAPeriod))
        .singleElement()
        .satisfies(m -> assertThat(m.getMessage()).contains("vs-1"));
  }

  @Test
  void eachViolationNamesItsRuleElementAndProfile() {
    Observation o = heartRate("Patient/p1", 72);
    o.getValueQuantity().setCode("count/min");
    assertThat(VitalSignRules.check(o))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("Observation.valueQuantity.code");
              assertThat(v.profileUrl())
                  .isEqualTo("http://hl7.org/fhir/StructureDefinition/heartrate");
              assertThat(v.message()).contains("count/min").contains("/min");
            });
  }

  @Test
  void observationsOutsideTheVitalSignsProfilesAreLeftAlone() {
    Observation lab = vital("Patient/p1", "2339-0", null, 105, "mg/dL");
    lab.getCategory().clear();
    lab.addCategory().addCoding().setSystem(CATEGORY).setCode("laboratory");
    lab.setSubject(null);
    assertThat(VitalSignRules.applies(lab)).isFalse();
    assertThat(VitalSignRules.check(lab)).isEmpty();
  }
}
