package org.vitals.cds.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.vitals.cds.clinical.Codes;
import org.vitals.cds.clinical.News2Assessment;
import org.vitals.cds.clinical.Reading;
import org.vitals.cds.clinical.VitalKind;
import org.vitals.inference.news2.News2ResponseBand;

/**
 * The FHIR shapes the monitor writes (docs/decisions/0703-alerts-as-detectedissue.md): a
 * RiskAssessment per NEWS2 evaluation, and one DetectedIssue per alert episode whose lifecycle
 * state is a {@code meta.tag}, whose escalation level is an extension, whose evidence references
 * the Observations and RiskAssessment behind it, and which clinicians acknowledge by adding a
 * {@code mitigation} with action {@code acknowledged}. Pure: builds and reads resources.
 */
public final class AlertResources {

  public static final String ALERT_ID_SYSTEM = "https://vitals.example.org/fhir/alert-id";
  public static final String RISK_ID_SYSTEM = "https://vitals.example.org/fhir/risk-assessment-id";
  public static final String EXT_LEVEL =
      "https://vitals.example.org/fhir/StructureDefinition/alert-escalation-level";
  public static final String EXT_ESCALATIONS =
      "https://vitals.example.org/fhir/StructureDefinition/alert-escalations";
  public static final String EXT_NEWS2 =
      "https://vitals.example.org/fhir/StructureDefinition/news2-score";
  public static final String NEWS2_ALERT = "news2-deterioration";
  public static final String ACKNOWLEDGED = "acknowledged";

  private AlertResources() {}

  /** The RiskAssessment of one evaluation. */
  public static RiskAssessment riskAssessment(
      String patientId, News2Assessment a, Instant measuredAt) {
    RiskAssessment r = new RiskAssessment();
    r.addIdentifier()
        .setSystem(RISK_ID_SYSTEM)
        .setValue("news2-" + patientId + "-" + measuredAt.toEpochMilli());
    r.setStatus(RiskAssessment.RiskAssessmentStatus.FINAL);
    r.getSubject().setReference("Patient/" + patientId);
    r.setOccurrence(new org.hl7.fhir.r4.model.DateTimeType(Date.from(measuredAt)));
    r.getMethod()
        .addCoding()
        .setSystem(Codes.SNOMED)
        .setCode("1104051000000101")
        .setDisplay("Royal College of Physicians National Early Warning Score 2 (NEWS2)");
    r.getMethod().setText("NEWS2 (Royal College of Physicians, 2017)");
    r.getCode().setText("NEWS2 aggregate score");
    for (String ref : basis(a)) {
      r.addBasis(new Reference(ref));
    }
    News2ResponseBand band = a.result().band();
    RiskAssessment.RiskAssessmentPredictionComponent p = r.addPrediction();
    p.getOutcome().setText("Acute clinical deterioration");
    p.setQualitativeRisk(
        new CodeableConcept()
            .addCoding(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/risk-probability",
                    riskCode(band),
                    riskCode(band)))
            .setText(band.clinicalRisk()));
    p.setRationale(band.clinicalResponse());
    r.addExtension(EXT_NEWS2, new IntegerType(a.result().total()));
    r.addNote()
        .setText(
            "NEWS2 "
                + (a.complete() ? "" : "≥ ")
                + a.result().total()
                + " ("
                + band.clinicalRisk()
                + " risk), SpO2 "
                + (a.scale() == org.vitals.inference.news2.SpO2Scale.SCALE_2
                    ? "Scale 2"
                    : "Scale 1")
                + "; values sustained for their minimum duration"
                + (a.missing().isEmpty()
                    ? ""
                    : "; lower bound: " + String.join("; ", a.missing())));
    return r;
  }

  static String riskCode(News2ResponseBand band) {
    return switch (band) {
      case NONE -> "negligible";
      case LOW -> "low";
      case LOW_MEDIUM, MEDIUM -> "moderate";
      case HIGH -> "high";
    };
  }

  /** The Observation references behind a score. */
  public static List<String> basis(News2Assessment a) {
    Set<String> refs = new LinkedHashSet<>();
    for (VitalKind k : VitalKind.values()) {
      Reading r = a.values().get(k);
      if (r != null && r.observation() != null) {
        refs.add(r.observation());
      }
    }
    return new ArrayList<>(refs);
  }

  /** A new alert. */
  public static DetectedIssue newAlert(String patientId, AlertLifecycle life) {
    DetectedIssue d = new DetectedIssue();
    d.addIdentifier()
        .setSystem(ALERT_ID_SYSTEM)
        .setValue(NEWS2_ALERT + "-" + patientId + "-" + life.episodeStart().toEpochMilli());
    d.getPatient().setReference("Patient/" + patientId);
    d.getCode()
        .addCoding()
        .setSystem(Codes.ALERT_KIND)
        .setCode(NEWS2_ALERT)
        .setDisplay("Clinical deterioration by NEWS2");
    d.getCode().setText("Clinical deterioration (NEWS2)");
    d.setIdentified(new Period().setStart(Date.from(life.episodeStart())));
    d.setReference(
        "https://www.rcp.ac.uk/improving-care/resources/national-early-warning-score-news-2/");
    return d;
  }

  /** Writes the lifecycle and the latest score into an alert (keeping others' mitigations). */
  public static void apply(
      DetectedIssue d, AlertLifecycle life, News2Assessment a, String riskAssessmentRef) {
    d.getMeta().getTag().removeIf(c -> Codes.ALERT_STATE.equals(c.getSystem()));
    d.getMeta().addTag(Codes.ALERT_STATE, life.state().code(), life.state().code());
    d.setStatus(
        life.state() == AlertLifecycle.State.RAISED
                || life.state() == AlertLifecycle.State.ESCALATED
            ? DetectedIssue.DetectedIssueStatus.PRELIMINARY
            : DetectedIssue.DetectedIssueStatus.FINAL);
    d.setSeverity(DetectedIssue.DetectedIssueSeverity.fromCode(life.level().severity()));
    d.getExtension()
        .removeIf(
            e -> e.getUrl().startsWith("https://vitals.example.org/fhir/StructureDefinition/"));
    d.addExtension(EXT_LEVEL, new IntegerType(life.level().number()));
    d.addExtension(EXT_ESCALATIONS, new IntegerType(life.escalations()));
    if (a != null) {
      d.addExtension(EXT_NEWS2, new IntegerType(a.result().total()));
      Set<String> refs = new LinkedHashSet<>();
      for (DetectedIssue.DetectedIssueEvidenceComponent e : d.getEvidence()) {
        for (Reference r : e.getDetail()) {
          refs.add(r.getReference());
        }
      }
      refs.addAll(basis(a));
      if (riskAssessmentRef != null) {
        refs.add(riskAssessmentRef);
      }
      d.getEvidence().clear();
      DetectedIssue.DetectedIssueEvidenceComponent ev = d.addEvidence();
      // Keep the newest references: an alert lasting hours must not grow without bound.
      List<String> list = new ArrayList<>(refs);
      for (String r : list.subList(Math.max(0, list.size() - 50), list.size())) {
        ev.addDetail(new Reference(r));
      }
    }
    if (life.episodeEnd() != null) {
      d.getIdentifiedPeriod().setEnd(Date.from(life.episodeEnd()));
    }
    d.setDetail(
        "State "
            + life.state().code()
            + ", level "
            + life.level().number()
            + " ("
            + life.level().who()
            + "): "
            + life.reason()
            + (a == null
                ? ""
                : ". Latest NEWS2 "
                    + (a.complete() ? "" : "≥ ")
                    + a.result().total()
                    + " ("
                    + a.result().band().clinicalRisk()
                    + " risk)")
            + ".");
  }

  /** How many acknowledgements (mitigations with action acknowledged) an alert holds. */
  public static int acknowledgements(DetectedIssue d) {
    int n = 0;
    for (DetectedIssue.DetectedIssueMitigationComponent m : d.getMitigation()) {
      for (Coding c : m.getAction().getCoding()) {
        if (Codes.ALERT_ACTION.equals(c.getSystem()) && ACKNOWLEDGED.equals(c.getCode())) {
          n++;
        }
      }
    }
    return n;
  }

  /** Adds an acknowledgement the way the doctor app does. */
  public static void acknowledge(DetectedIssue d, String practitioner, Instant at) {
    DetectedIssue.DetectedIssueMitigationComponent m = d.addMitigation();
    m.getAction()
        .addCoding()
        .setSystem(Codes.ALERT_ACTION)
        .setCode(ACKNOWLEDGED)
        .setDisplay("Alert acknowledged");
    m.setDate(Date.from(at));
    if (practitioner != null) {
      m.getAuthor().setReference(practitioner);
    }
  }
}
