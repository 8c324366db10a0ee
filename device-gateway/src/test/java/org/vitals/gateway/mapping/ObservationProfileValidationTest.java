package org.vitals.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vitals.gateway.TestReadings.*;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.wire.WireReadingParser;

/**
 * Every metric's Observation validates against the FHIR R4 vital-signs profiles with HAPI's
 * validator (offline: hapi-fhir-validation-resources-r4 bundles the profiles). The validator also
 * applies the profile by LOINC code, whether or not meta.profile claims it.
 */
class ObservationProfileValidationTest {
  private static FhirContext ctx;
  private static FhirValidator validator;
  private final WireReadingParser parser = new WireReadingParser();
  private final TemplateSet templates = new TemplateRegistry(null).current();
  private final MappingContext where = new MappingContext("Patient/p1", "Device/d1", "Device/gw1");

  @BeforeAll
  static void setUp() {
    ctx = FhirContext.forR4Cached();
    ValidationSupportChain chain =
        new ValidationSupportChain(
            new DefaultProfileValidationSupport(ctx),
            new InMemoryTerminologyServerValidationSupport(ctx),
            new CommonCodeSystemsTerminologyService(ctx));
    validator = ctx.newValidator();
    validator.registerValidatorModule(new FhirInstanceValidator(chain));
  }

  private Observation map(String metric, byte[] payload, int index) {
    List<Measurement> ms = parser.parse(topic("dev-1", metric), payload, Instant.now());
    return ObservationMapper.map(ms.get(index), templates, where);
  }

  private void assertValid(Observation o, String... profiles) {
    ValidationResult r = validator.validateWithResult(o);
    List<SingleValidationMessage> errors =
        r.getMessages().stream()
            .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
            .toList();
    assertThat(errors).as(ctx.newJsonParser().encodeResourceToString(o)).isEmpty();
    for (String p : profiles) {
      assertThat(o.getMeta().getProfile()).anyMatch(c -> c.getValue().equals(p));
    }
  }

  @Test
  void validatorCatchesAWrongUnitSoTheOtherChecksMeanSomething() {
    Observation o = map("hr", numeric("dev-1", 1, "hr", "72", "/min"), 0);
    o.getValueQuantity().setCode("count/min");
    ValidationResult r = validator.validateWithResult(o);
    assertThat(r.getMessages())
        .anyMatch(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal());
  }

  @Test
  void heartRate() {
    Observation o = map("hr", numeric("dev-1", 1, "hr", "72", "/min"), 0);
    assertValid(o, "http://hl7.org/fhir/StructureDefinition/heartrate");
    assertThat(o.getValueQuantity().getCode()).isEqualTo("/min");
    assertThat(o.getCode().getCoding()).anyMatch(c -> c.getCode().equals("147842"));
  }

  @Test
  void pulseRate() {
    assertValid(
        map("pr", numeric("dev-1", 1, "pr", "71", "/min"), 0),
        "http://hl7.org/fhir/StructureDefinition/heartrate");
  }

  @Test
  void oxygenSaturationCarriesBothLoincCodesAndMdc() {
    Observation o = map("spo2", numeric("dev-1", 1, "spo2", "97", "%"), 0);
    assertValid(o, "http://hl7.org/fhir/StructureDefinition/oxygensat");
    assertThat(o.getCode().getCoding())
        .extracting(c -> c.getCode())
        .containsExactly("2708-6", "59408-5", "150456");
    assertThat(o.getIdentifierFirstRep().getValue()).isEqualTo("dev-1:1:1");
    assertThat(o.getDevice().getReference()).isEqualTo("Device/d1");
    assertThat(o.getExtensionByUrl(ObservationMapper.GATEWAY_DEVICE_EXTENSION)).isNotNull();
  }

  @Test
  void respiratoryRate() {
    assertValid(
        map("rr", numeric("dev-1", 1, "rr", "16", "/min"), 0),
        "http://hl7.org/fhir/StructureDefinition/resprate");
  }

  @Test
  void bodyTemperatureFromFahrenheit() {
    Observation o = map("temp", numeric("dev-1", 1, "temp", "98.6", "[degF]"), 0);
    assertValid(o, "http://hl7.org/fhir/StructureDefinition/bodytemp");
    assertThat(o.getValueQuantity().getCode()).isEqualTo("Cel");
  }

  @Test
  void bloodPressureIsOneObservationWithComponentsAndCuffPulseIsSeparate() {
    byte[] p = bp("dev-1", 1, "120", "80", "93", "mm[Hg]");
    Observation o = map("bp", p, 0);
    assertValid(o, "http://hl7.org/fhir/StructureDefinition/bp");
    assertThat(o.getComponent()).hasSize(3);
    assertThat(o.getCode().getCoding()).anyMatch(c -> c.getCode().equals("85354-9"));
    Observation pulse = map("bp", p, 1);
    assertValid(pulse, "http://hl7.org/fhir/StructureDefinition/heartrate");
    assertThat(pulse.getCode().getCoding()).anyMatch(c -> c.getCode().equals("149546"));
  }

  @Test
  void bloodPressureWithMissingDiastolicUsesComponentDataAbsentReason() {
    byte[] p =
        "{\"v\":1,\"dev\":\"dev-1\",\"boot\":1,\"seq\":4,\"ts\":1732680000123,\"metric\":\"bp\",\"unit\":\"mm[Hg]\",\"cmp\":{\"150021\":120,\"150022\":null},\"st\":[\"nres\"]}"
            .getBytes(StandardCharsets.UTF_8);
    Observation o = map("bp", p, 0);
    assertValid(o);
    assertThat(o.getComponent().get(1).getDataAbsentReason().getCodingFirstRep().getCode())
        .isEqualTo("error");
  }

  @Test
  void glucose() {
    assertValid(map("glucose", numeric("dev-1", 1, "glucose", "5.5", "mmol/L"), 0));
  }

  @Test
  void sensorErrorBecomesDataAbsentReason() {
    byte[] p =
        "{\"v\":1,\"dev\":\"dev-1\",\"boot\":1,\"seq\":2,\"ts\":1732680000123,\"metric\":\"spo2\",\"val\":null,\"unit\":\"%\",\"st\":[\"nan\"]}"
            .getBytes(StandardCharsets.UTF_8);
    Observation o = map("spo2", p, 0);
    assertValid(o, "http://hl7.org/fhir/StructureDefinition/oxygensat");
    assertThat(o.hasValue()).isFalse();
    assertThat(o.getDataAbsentReason().getCodingFirstRep().getCode()).isEqualTo("not-a-number");
  }

  @Test
  void ecgStripIsSampledData() {
    Observation o = map("ecg", ecg("dev-1", 1, 1732680000000L, 250), 0);
    assertValid(o);
    var sd = o.getComponentFirstRep().getValueSampledData();
    assertThat(sd.getPeriod()).isEqualByComparingTo("4");
    assertThat(sd.getData().split(" ")).hasSize(250);
    assertThat(
            o.getEffectivePeriod().getEnd().getTime() - o.getEffectivePeriod().getStart().getTime())
        .isEqualTo(1000);
  }
}
