package org.vitals.cds.ecg;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.vitals.cds.clinical.Codes;

/**
 * The FHIR shapes of the ECG annotations (decision 0712). Per strip one Observation "ECG beat
 * annotation" derived from the strip, with one component per beat (code: AAMI class and MDC beat
 * term; value: the R peak's offset from the strip's first sample in ms; extension: confidence),
 * components for AF and unusable stretches inside the strip (value: a Range of offsets in ms), and
 * the heart rate; a strip that cannot be analysed gets the same Observation with a {@code
 * dataAbsentReason} saying why. AF episodes are Observations of LOINC 8884-9 "Heart rate rhythm" =
 * SNOMED 49436004 "Atrial fibrillation" with the episode as {@code effectivePeriod}. Everything is
 * tagged machine-generated, carries the method and the analyser's Device, and says in a note that
 * it is decision support, not a diagnosis. Pure: builds resources.
 */
public final class EcgAnnotationResources {

  public static final String EXT_CONFIDENCE =
      "https://vitals.example.org/fhir/StructureDefinition/ecg-beat-confidence";

  static final String NOTE =
      "Machine-generated decision support, not a diagnosis: automated single-lead ECG analysis"
          + " (AAMI EC57 beat classes, AF from RR irregularity and absent P waves; model card"
          + " models/ecg-beat-classifier.md). Confirm on a 12-lead ECG read by a clinician.";

  private EcgAnnotationResources() {}

  /** The analyser as a Device (software), one per model version. */
  public static Device analyzerDevice(String modelId) {
    Device d = new Device();
    d.addIdentifier().setSystem(EcgCodes.DEVICE_ID_SYSTEM).setValue("ecg-analyzer-" + modelId);
    d.setStatus(Device.FHIRDeviceStatus.ACTIVE);
    d.addDeviceName()
        .setName("Vitals ECG analyser")
        .setType(Device.DeviceNameType.USERFRIENDLYNAME);
    d.getType().setText("ECG beat classification and AF detection software");
    d.addVersion().setValue(modelId).getType().setText("ONNX model SHA-256 (first 12 hex digits)");
    d.addNote().setText(NOTE);
    return d;
  }

  /** The method of every annotation. */
  public static CodeableConcept method(String modelId) {
    return new CodeableConcept()
        .addCoding(
            new Coding(EcgCodes.ECG_ANALYSIS, EcgCodes.METHOD, "Vitals EcgAnalyzer " + modelId))
        .setText(
            "QRS detection, AAMI EC57 beat classification (gradient-boosted trees, ONNX "
                + modelId
                + "), AF from RR irregularity and P-wave absence");
  }

  /** The analysis of a strip that could be analysed. */
  public static Observation analysis(
      String patient,
      StripSignal strip,
      StripAnnotation a,
      String analyzerDevice,
      String modelId,
      Instant issued) {
    Observation o = base(patient, strip, analyzerDevice, modelId, issued);
    if (Double.isFinite(a.heartRateBpm())) {
      o.addComponent()
          .setCode(code(Codes.MDC, EcgCodes.MDC_ECG_HEART_RATE, "MDC_ECG_HEART_RATE"))
          .setValue(quantity(a.heartRateBpm(), "/min", 1));
    }
    o.addComponent()
        .setCode(code(EcgCodes.ECG_ANALYSIS, EcgCodes.CONTEXT_SECONDS, "Preceding ECG analysed"))
        .setValue(quantity(a.contextSeconds(), "s", 1));
    for (StripAnnotation.BeatMark b : a.beats()) {
      String[] mdc = EcgCodes.mdcBeat(b.beatClass());
      ObservationComponentComponent c = o.addComponent();
      c.setCode(
          new CodeableConcept()
              .addCoding(
                  new Coding(
                      EcgCodes.AAMI, b.beatClass().letter(), EcgCodes.aamiDisplay(b.beatClass())))
              .addCoding(new Coding(Codes.MDC, mdc[0], mdc[1])));
      c.setValue(quantity(b.offsetMs(), "ms", 1));
      c.addExtension(
          EXT_CONFIDENCE,
          new DecimalType(BigDecimal.valueOf(b.confidence()).setScale(3, RoundingMode.HALF_UP)));
    }
    for (double[] s : a.af()) {
      o.addComponent()
          .setCode(code(Codes.SNOMED, EcgCodes.SNOMED_AF, "Atrial fibrillation"))
          .setValue(range(s[0], s[1]));
    }
    for (StripAnnotation.Unusable u : a.unusable()) {
      CodeableConcept cc =
          code(Codes.MDC, EcgCodes.MDC_ECG_NOISE_SEVERE, "MDC_ECG_NOISE_SEVERE")
              .setText(u.reason());
      o.addComponent().setCode(cc).setValue(range(u.fromMs(), u.toMs()));
    }
    return o;
  }

  /** The outcome for a strip that could not be analysed: no beats, the reason. */
  public static Observation notAnalysed(
      String patient,
      StripSignal strip,
      String stripId,
      Instant stripStart,
      Instant stripEnd,
      String reason,
      String analyzerDevice,
      String modelId,
      Instant issued) {
    Observation o =
        strip != null
            ? base(patient, strip, analyzerDevice, modelId, issued)
            : base(patient, stripId, stripStart, stripEnd, analyzerDevice, modelId, issued);
    o.setDataAbsentReason(
        new CodeableConcept()
            .addCoding(new Coding(EcgCodes.DATA_ABSENT, "error", "Error"))
            .setText("Not analysed: " + reason));
    return o;
  }

  private static Observation base(
      String patient, StripSignal s, String analyzerDevice, String modelId, Instant issued) {
    return base(patient, s.id(), s.start(), s.end(), analyzerDevice, modelId, issued);
  }

  private static Observation base(
      String patient,
      String stripId,
      Instant start,
      Instant end,
      String analyzerDevice,
      String modelId,
      Instant issued) {
    Observation o = common(patient, analyzerDevice, modelId, issued);
    o.addIdentifier().setSystem(EcgCodes.ANALYSIS_ID_SYSTEM).setValue(stripId);
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.setCode(
        new CodeableConcept()
            .addCoding(
                new Coding(
                    EcgCodes.ECG_ANALYSIS,
                    EcgCodes.BEAT_ANNOTATION,
                    "ECG beat annotation (AAMI EC57 classes)"))
            .addCoding(new Coding(Codes.MDC, EcgCodes.MDC_ECG_BEAT, "MDC_ECG_BEAT"))
            .setText("ECG beat annotation"));
    Period p = new Period().setStartElement(instant(start));
    if (end != null) {
      p.setEndElement(instant(end));
    }
    o.setEffective(p);
    o.addDerivedFrom(new Reference("Observation/" + stripId));
    return o;
  }

  private static Observation common(
      String patient, String analyzerDevice, String modelId, Instant issued) {
    Observation o = new Observation();
    o.getMeta()
        .addTag(
            EcgCodes.DECISION_SUPPORT,
            EcgCodes.MACHINE_GENERATED,
            "Machine-generated decision support (not a diagnosis)");
    o.addCategory(
        new CodeableConcept()
            .addCoding(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/observation-category",
                    "procedure",
                    "Procedure")));
    o.setSubject(new Reference("Patient/" + patient));
    if (analyzerDevice != null) {
      o.setDevice(new Reference(analyzerDevice));
    }
    o.setMethod(method(modelId));
    o.setIssuedElement(new InstantType(Date.from(issued)));
    o.addNote().setText(NOTE);
    return o;
  }

  /** A new AF episode. */
  public static Observation afEpisode(
      String patient,
      Instant onset,
      Instant end,
      boolean ongoing,
      String stripId,
      String analyzerDevice,
      String modelId,
      Instant issued) {
    Observation o = common(patient, analyzerDevice, modelId, issued);
    o.addIdentifier()
        .setSystem(EcgCodes.AF_EPISODE_ID_SYSTEM)
        .setValue("af-" + patient + "-" + onset.toEpochMilli());
    o.setCode(code(Codes.LOINC, EcgCodes.LOINC_RHYTHM, "Heart rate rhythm"));
    o.setValue(code(Codes.SNOMED, EcgCodes.SNOMED_AF, "Atrial fibrillation"));
    o.setEffective(new Period().setStartElement(instant(onset)).setEndElement(instant(end)));
    o.setStatus(
        ongoing ? Observation.ObservationStatus.PRELIMINARY : Observation.ObservationStatus.FINAL);
    o.addDerivedFrom(new Reference("Observation/" + stripId));
    return o;
  }

  /**
   * Extends an episode to {@code end} (never shortens it); the newest strip becomes its second
   * derivedFrom (the first stays the onset's strip). Returns true when anything changed.
   */
  public static boolean extend(Observation episode, Instant end, boolean ongoing, String stripId) {
    boolean changed = false;
    Instant current = episodeEnd(episode);
    if (current == null || end.isAfter(current)) {
      episode.getEffectivePeriod().setEndElement(instant(end));
      changed = true;
    }
    Observation.ObservationStatus status =
        ongoing ? Observation.ObservationStatus.PRELIMINARY : Observation.ObservationStatus.FINAL;
    if (episode.getStatus() != status) {
      episode.setStatus(status);
      changed = true;
    }
    String ref = "Observation/" + stripId;
    boolean listed = episode.getDerivedFrom().stream().anyMatch(r -> ref.equals(r.getReference()));
    if (!listed) {
      if (episode.getDerivedFrom().size() > 1) {
        episode.getDerivedFrom().remove(episode.getDerivedFrom().size() - 1);
      }
      episode.addDerivedFrom(new Reference(ref));
      changed = true;
    }
    return changed;
  }

  /** True for one of our AF episodes (rhythm = SNOMED 49436004). */
  public static boolean isAf(Observation o) {
    return o.hasValueCodeableConcept()
        && o.getValueCodeableConcept().getCoding().stream()
            .anyMatch(
                c -> Codes.SNOMED.equals(c.getSystem()) && EcgCodes.SNOMED_AF.equals(c.getCode()));
  }

  /** The end of an episode, or null. */
  public static Instant episodeEnd(Observation episode) {
    return episode.hasEffectivePeriod() && episode.getEffectivePeriod().hasEnd()
        ? episode.getEffectivePeriod().getEnd().toInstant()
        : null;
  }

  static CodeableConcept code(String system, String code, String display) {
    return new CodeableConcept().addCoding(new Coding(system, code, display));
  }

  private static Quantity quantity(double v, String ucum, int decimals) {
    return new Quantity()
        .setValue(BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP))
        .setUnit(ucum)
        .setSystem(Codes.UCUM)
        .setCode(ucum);
  }

  private static Range range(double fromMs, double toMs) {
    return new Range()
        .setLow((org.hl7.fhir.r4.model.SimpleQuantity) simple(fromMs))
        .setHigh((org.hl7.fhir.r4.model.SimpleQuantity) simple(toMs));
  }

  private static org.hl7.fhir.r4.model.SimpleQuantity simple(double ms) {
    org.hl7.fhir.r4.model.SimpleQuantity q = new org.hl7.fhir.r4.model.SimpleQuantity();
    q.setValue(BigDecimal.valueOf(ms).setScale(1, RoundingMode.HALF_UP))
        .setUnit("ms")
        .setSystem(Codes.UCUM)
        .setCode("ms");
    return q;
  }

  private static DateTimeType instant(Instant t) {
    // Milliseconds, UTC: as the gateway writes effective times.
    return new DateTimeType(
        Date.from(t), TemporalPrecisionEnum.MILLI, java.util.TimeZone.getTimeZone("UTC"));
  }
}
