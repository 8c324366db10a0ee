package org.vitals.cds.ecg;

import org.vitals.cds.clinical.Codes;
import org.vitals.inference.ecg.AamiClass;

/**
 * Codes of the ECG annotations (decision 0712). Beat classes are AAMI EC57 (ANSI/AAMI EC57:2012,
 * the classes the model outputs) in our own code system, each with the nearest ISO/IEEE 11073-10102
 * annotated-ECG term (MDC partition 10, context-free code = 10 x 65536 + term code, as listed in
 * DICOM PS3.16 CID 3335 "ECG Annotation"). AF is SNOMED CT 49436004 |Atrial fibrillation|, the
 * rhythm finding's code LOINC 8884-9 "Heart rate rhythm".
 */
public final class EcgCodes {

  /** Identifier system of the per-strip analyses: value = the strip's logical id. */
  public static final String ANALYSIS_ID_SYSTEM = "https://vitals.example.org/fhir/ecg-analysis-id";

  /** Identifier system of the AF episodes: value = {@code af-{patient}-{onset epoch ms}}. */
  public static final String AF_EPISODE_ID_SYSTEM =
      "https://vitals.example.org/fhir/ecg-af-episode-id";

  /** Identifier system of the analyser's Device: value = {@code ecg-analyzer-{model sha}}. */
  public static final String DEVICE_ID_SYSTEM = "https://vitals.example.org/fhir/device-id";

  /** Our code system of the analysis itself, its method and its components. */
  public static final String ECG_ANALYSIS = Codes.BASE + "ecg-analysis";

  public static final String BEAT_ANNOTATION = "beat-annotation";
  public static final String METHOD = "vitals-ecg-analyzer";
  public static final String CONTEXT_SECONDS = "context-seconds";

  /** AAMI EC57 beat classes. */
  public static final String AAMI = Codes.BASE + "aami-beat-class";

  /** The tag that marks machine-generated decision support (not a diagnosis). */
  public static final String DECISION_SUPPORT = Codes.BASE + "decision-support";

  public static final String MACHINE_GENERATED = "machine-generated";

  /** MDC_ECG_BEAT (10:8192). */
  public static final String MDC_ECG_BEAT = "663552";

  /** MDC_ECG_HEART_RATE. */
  public static final String MDC_ECG_HEART_RATE = "147842";

  /** MDC_ECG_NOISE_SEVERE (10:11232): beats cannot be detected or classified. */
  public static final String MDC_ECG_NOISE_SEVERE = "666592";

  public static final String LOINC_RHYTHM = "8884-9";
  public static final String SNOMED_AF = "49436004";

  public static final String DATA_ABSENT =
      "http://terminology.hl7.org/CodeSystem/data-absent-reason";

  private EcgCodes() {}

  /** The display of an AAMI class. */
  public static String aamiDisplay(AamiClass c) {
    return switch (c) {
      case N -> "Normal or bundle branch block beat (N)";
      case S -> "Supraventricular ectopic beat (SVEB)";
      case V -> "Ventricular ectopic beat (VEB)";
      case F -> "Fusion of ventricular and normal beat (F)";
      case Q -> "Unclassifiable beat (Q)";
    };
  }

  /** The ISO/IEEE 11073-10102 term nearest to an AAMI class: {code, reference id}. */
  public static String[] mdcBeat(AamiClass c) {
    int term =
        switch (c) {
          case N -> 8208; // MDC_ECG_BEAT_NORMAL
          case S -> 8256; // MDC_ECG_BEAT_SV_P_C
          case V -> 8336; // MDC_ECG_BEAT_V_P_C
          case F -> 8352; // MDC_ECG_BEAT_V_P_C_FUSION
          case Q -> 8736; // MDC_ECG_BEAT_UNKNOWN
        };
    String name =
        switch (c) {
          case N -> "MDC_ECG_BEAT_NORMAL";
          case S -> "MDC_ECG_BEAT_SV_P_C";
          case V -> "MDC_ECG_BEAT_V_P_C";
          case F -> "MDC_ECG_BEAT_V_P_C_FUSION";
          case Q -> "MDC_ECG_BEAT_UNKNOWN";
        };
    return new String[] {String.valueOf(10 * 65536 + term), name};
  }
}
