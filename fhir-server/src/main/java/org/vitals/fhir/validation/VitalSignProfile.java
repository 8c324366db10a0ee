package org.vitals.fhir.validation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * The FHIR R4 core vital-signs profiles (hl7.org/fhir/R4/observation-vitalsigns.html): which LOINC
 * code each requires, which UCUM units its value may carry, and which Observation codes make it
 * apply. The trigger codes are the ones the FHIR validator uses to apply these profiles to any R4
 * Observation whether or not it claims them (FHIR R4 §Vital Signs: "If a resource is a vital sign
 * ... it SHALL conform").
 *
 * @param id the profile id, the last part of its canonical URL
 * @param requiredLoinc the LOINC code the profile fixes in {@code Observation.code}
 * @param units the allowed UCUM codes of {@code valueQuantity.code}; empty when the profile has no
 *     single value (panels)
 * @param loincTriggers LOINC codes that make the profile apply
 */
public record VitalSignProfile(
    String id, String requiredLoinc, Set<String> units, Set<String> loincTriggers) {

  public static final String LOINC = "http://loinc.org";
  public static final String SNOMED = "http://snomed.info/sct";
  public static final String UCUM = "http://unitsofmeasure.org";
  public static final String CATEGORY_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/observation-category";
  public static final String BASE_PROFILE = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

  /** LOINC systolic and diastolic component codes of the {@code bp} profile. */
  public static final String SYSTOLIC = "8480-6";

  public static final String DIASTOLIC = "8462-4";
  public static final String MM_HG = "mm[Hg]";

  public String url() {
    return "http://hl7.org/fhir/StructureDefinition/" + id;
  }

  public boolean isPanel() {
    return id.equals("vitalspanel");
  }

  public boolean isBloodPressure() {
    return id.equals("bp");
  }

  /** In the validator's order: the first profile whose trigger matches applies. */
  static final List<VitalSignProfile> ALL =
      List.of(
          new VitalSignProfile("vitalspanel", "85353-1", Set.of(), Set.of("85353-1")),
          new VitalSignProfile(
              "resprate",
              "9279-1",
              Set.of("/min"),
              Set.of(
                  "9279-1", "76170-0", "76172-6", "76171-8", "19840-8", "33438-3", "76270-8",
                  "11291-2")),
          new VitalSignProfile(
              "heartrate",
              "8867-4",
              Set.of("/min"),
              Set.of(
                  "60978-4", "73795-7", "73799-9", "76476-1", "76477-9", "8867-4", "8889-8",
                  "8890-6", "8891-4", "8892-2", "8893-0", "40443-4", "55425-3", "68999-2",
                  "11328-2", "69000-8", "8886-4")),
          new VitalSignProfile(
              "oxygensat",
              "2708-6",
              Set.of("%"),
              Set.of(
                  "2708-6", "19224-5", "20564-1", "2709-4", "2710-2", "2713-6", "51733-4",
                  "59408-5", "59417-6", "89276-0", "97549-0")),
          new VitalSignProfile(
              "bodytemp",
              "8310-5",
              Set.of("Cel", "[degF]"),
              Set.of(
                  "8310-5", "60834-9", "60835-6", "60836-4", "60838-0", "60955-2", "61009-7",
                  "75539-7", "75987-8", "76010-8", "76011-6", "76278-1", "8309-7", "8328-7",
                  "8329-5", "8330-3", "8331-1", "8332-9", "8333-7", "8334-5", "91371-5", "98657-0",
                  "98663-8")),
          new VitalSignProfile(
              "bodyheight",
              "8302-2",
              Set.of("cm", "[in_i]"),
              Set.of("8302-2", "3137-7", "3138-5", "8306-3", "8308-9")),
          new VitalSignProfile(
              "headcircum", "9843-4", Set.of("cm", "[in_i]"), Set.of("9843-4", "8287-5")),
          new VitalSignProfile(
              "bodyweight",
              "29463-7",
              Set.of("g", "kg", "[lb_av]"),
              Set.of("29463-7", "3141-9", "3142-7", "75292-3", "79348-9", "8350-1", "8351-9")),
          new VitalSignProfile(
              "bmi", "39156-5", Set.of("kg/m2"), Set.of("39156-5", "59574-4", "89270-3")),
          new VitalSignProfile(
              "bp",
              "85354-9",
              Set.of(),
              Set.of("85354-9", "35094-2", "8459-0", "76534-7", "55284-4", "8480-6")));

  /** SNOMED CT triggers, checked after every LOINC trigger (as the validator does). */
  static final Map<String, Set<String>> SNOMED_TRIGGERS =
      Map.of(
          "vitalspanel", Set.of("46680005"),
          "bp", Set.of("86290005", "271625008", "271306003"),
          "heartrate",
              Set.of("249043002", "444981005", "399017001", "251670001", "429525003", "429614003"),
          "oxygensat",
              Set.of(
                  "103228002",
                  "442349007",
                  "442476006",
                  "442440005",
                  "431314004",
                  "442734002",
                  "713194001"));

  /** The profile that applies to an Observation with this code, if any. */
  public static Optional<VitalSignProfile> forCode(CodeableConcept code) {
    if (code == null) {
      return Optional.empty();
    }
    for (VitalSignProfile profile : ALL) {
      for (Coding coding : code.getCoding()) {
        if (LOINC.equals(coding.getSystem()) && profile.loincTriggers.contains(coding.getCode())) {
          return Optional.of(profile);
        }
      }
    }
    for (String id : List.of("vitalspanel", "bp", "heartrate", "oxygensat")) {
      for (Coding coding : code.getCoding()) {
        if (SNOMED.equals(coding.getSystem())
            && SNOMED_TRIGGERS.get(id).contains(coding.getCode())) {
          return ALL.stream().filter(p -> p.id.equals(id)).findFirst();
        }
      }
    }
    return Optional.empty();
  }
}
