package org.vitals.cds.fhir;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Reference;
import org.vitals.cds.clinical.ClinicalContext;
import org.vitals.cds.clinical.Codes;

/**
 * Reads what the rules need from Conditions and medications: COPD or hypercapnic respiratory
 * failure (NEWS2 SpO2 Scale 2, RCP 2017), diabetes, and beta-blockers (ATC C07, or by ingredient
 * name), which blunt the heart-rate response.
 */
public final class ClinicalContextMapper {

  /** Beta-blocker ingredients (ATC group C07) recognised by name. */
  static final Set<String> BETA_BLOCKERS =
      Set.of(
          "acebutolol",
          "atenolol",
          "betaxolol",
          "bisoprolol",
          "carvedilol",
          "celiprolol",
          "esmolol",
          "labetalol",
          "landiolol",
          "metoprolol",
          "nadolol",
          "nebivolol",
          "oxprenolol",
          "pindolol",
          "propranolol",
          "sotalol",
          "timolol");

  private ClinicalContextMapper() {}

  /**
   * The context from the resources read; null lists mean "could not be read".
   *
   * @param conditions active Conditions, or null
   * @param statements MedicationStatements, or null
   * @param requests MedicationRequests, or null
   */
  public static ClinicalContext map(
      List<Condition> conditions,
      List<MedicationStatement> statements,
      List<MedicationRequest> requests) {
    String scale2 = null;
    String diabetes = null;
    if (conditions != null) {
      for (Condition c : conditions) {
        if (!active(c)) {
          continue;
        }
        String ref = "Condition/" + c.getIdElement().getIdPart();
        if (scale2 == null && hypercapnicRisk(c.getCode())) {
          scale2 = name(c.getCode(), "COPD") + " (" + ref + ")";
        }
        if (diabetes == null && diabetes(c.getCode())) {
          diabetes = name(c.getCode(), "diabetes") + " (" + ref + ")";
        }
      }
    }
    String beta = null;
    if (statements != null) {
      for (MedicationStatement m : statements) {
        String status = m.hasStatus() ? m.getStatus().toCode() : "active";
        if (!Set.of("active", "intended", "on-hold").contains(status)) {
          continue;
        }
        Optional<String> b =
            betaBlocker(
                m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null,
                m.hasMedicationReference() ? m.getMedicationReference() : null);
        if (b.isPresent() && beta == null) {
          beta = b.get() + " (MedicationStatement/" + m.getIdElement().getIdPart() + ")";
        }
      }
    }
    if (requests != null) {
      for (MedicationRequest m : requests) {
        String status = m.hasStatus() ? m.getStatus().toCode() : "active";
        if (!"active".equals(status)) {
          continue;
        }
        Optional<String> b =
            betaBlocker(
                m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null,
                m.hasMedicationReference() ? m.getMedicationReference() : null);
        if (b.isPresent() && beta == null) {
          beta = b.get() + " (MedicationRequest/" + m.getIdElement().getIdPart() + ")";
        }
      }
    }
    List<String> notes = new ArrayList<>();
    if (scale2 != null) {
      notes.add("Condition " + scale2 + " selects NEWS2 SpO2 Scale 2 (target 88–92 %).");
    }
    return new ClinicalContext(
        scale2, beta, diabetes, conditions != null, statements != null || requests != null, notes);
  }

  static boolean active(Condition c) {
    if (c.hasVerificationStatus()) {
      for (Coding v : c.getVerificationStatus().getCoding()) {
        if (Set.of("refuted", "entered-in-error").contains(v.getCode())) {
          return false;
        }
      }
    }
    if (!c.hasClinicalStatus()) {
      return true;
    }
    for (Coding s : c.getClinicalStatus().getCoding()) {
      if (Set.of("active", "recurrence", "relapse").contains(s.getCode())) {
        return true;
      }
    }
    return false;
  }

  /** COPD (SNOMED 13645005 and children by name, ICD-10 J44) or hypercapnic respiratory failure. */
  static boolean hypercapnicRisk(CodeableConcept cc) {
    for (Coding c : cc.getCoding()) {
      String code = c.getCode() == null ? "" : c.getCode();
      if (Codes.SNOMED.equals(c.getSystem())
          && Set.of("13645005", "195951007", "313296004", "313297008", "313299006")
              .contains(code)) {
        return true;
      }
      if ((Codes.ICD10.equals(c.getSystem()) || Codes.ICD10_CM.equals(c.getSystem()))
          && (code.startsWith("J44")
              || code.equals("J96.02")
              || code.equals("J96.12")
              || code.equals("J96.22")
              || code.equals("J96.92"))) {
        return true;
      }
    }
    String text = text(cc);
    return text.contains("chronic obstructive")
        || text.contains("copd")
        || text.contains("hypercapni");
  }

  static boolean diabetes(CodeableConcept cc) {
    for (Coding c : cc.getCoding()) {
      String code = c.getCode() == null ? "" : c.getCode();
      if (Codes.SNOMED.equals(c.getSystem())
          && Set.of("73211009", "46635009", "44054006").contains(code)) {
        return true;
      }
      if ((Codes.ICD10.equals(c.getSystem()) || Codes.ICD10_CM.equals(c.getSystem()))
          && code.matches("E1[0-4].*")) {
        return true;
      }
    }
    return text(cc).contains("diabetes");
  }

  static Optional<String> betaBlocker(CodeableConcept cc, Reference ref) {
    if (cc != null) {
      for (Coding c : cc.getCoding()) {
        if (Codes.ATC.equals(c.getSystem()) && c.hasCode() && c.getCode().startsWith("C07")) {
          return Optional.of(c.hasDisplay() ? c.getDisplay() : "ATC " + c.getCode());
        }
      }
    }
    String text =
        (cc == null ? "" : text(cc))
            + " "
            + (ref != null && ref.hasDisplay() ? ref.getDisplay().toLowerCase(Locale.ROOT) : "");
    for (String b : BETA_BLOCKERS) {
      if (text.contains(b)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  private static String name(CodeableConcept cc, String fallback) {
    if (cc.hasText()) {
      return cc.getText();
    }
    for (Coding c : cc.getCoding()) {
      if (c.hasDisplay()) {
        return c.getDisplay();
      }
    }
    return fallback;
  }

  private static String text(CodeableConcept cc) {
    StringBuilder s = new StringBuilder(cc.hasText() ? cc.getText() : "");
    for (Coding c : cc.getCoding()) {
      if (c.hasDisplay()) {
        s.append(' ').append(c.getDisplay());
      }
    }
    return s.toString().toLowerCase(Locale.ROOT);
  }
}
