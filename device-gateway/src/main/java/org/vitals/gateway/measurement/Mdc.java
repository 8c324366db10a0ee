package org.vitals.gateway.measurement;

import java.util.Map;

/**
 * ISO/IEEE 11073-10101 reference ids of the codes the gateway emits (32-bit decimal form).
 *
 * <p>Source: ../shared/reference/standards-and-codes.md §3 (checked by partition arithmetic and the
 * HL7 PHD IG examples).
 */
public final class Mdc {
  public static final String SYSTEM = "urn:iso:std:iso:11073:10101";
  public static final int BP_SYSTOLIC = 150021;
  public static final int BP_DIASTOLIC = 150022;
  public static final int BP_MEAN = 150023;
  public static final int NIBP_PULSE = 149546;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(150020, "MDC_PRESS_BLD_NONINV"),
          Map.entry(150021, "MDC_PRESS_BLD_NONINV_SYS"),
          Map.entry(150022, "MDC_PRESS_BLD_NONINV_DIA"),
          Map.entry(150023, "MDC_PRESS_BLD_NONINV_MEAN"),
          Map.entry(150456, "MDC_PULS_OXIM_SAT_O2"),
          Map.entry(149530, "MDC_PULS_OXIM_PULS_RATE"),
          Map.entry(149546, "MDC_PULS_RATE_NON_INV"),
          Map.entry(150364, "MDC_TEMP_BODY"),
          Map.entry(147842, "MDC_ECG_HEART_RATE"),
          Map.entry(151562, "MDC_RESP_RATE"),
          Map.entry(160184, "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD"),
          Map.entry(160188, "MDC_CONC_GLU_CAPILLARY_PLASMA"),
          Map.entry(160192, "MDC_CONC_GLU_VENOUS_WHOLEBLOOD"),
          Map.entry(160196, "MDC_CONC_GLU_VENOUS_PLASMA"),
          Map.entry(160368, "MDC_CONC_GLU_UNDETERMINED_PLASMA"),
          Map.entry(131328, "MDC_ECG_ELEC_POTL"),
          Map.entry(131329, "MDC_ECG_ELEC_POTL_I"),
          Map.entry(131330, "MDC_ECG_ELEC_POTL_II"),
          Map.entry(131389, "MDC_ECG_ELEC_POTL_III"),
          Map.entry(131390, "MDC_ECG_ELEC_POTL_AVR"),
          Map.entry(131391, "MDC_ECG_ELEC_POTL_AVL"),
          Map.entry(131392, "MDC_ECG_ELEC_POTL_AVF"),
          Map.entry(131331, "MDC_ECG_ELEC_POTL_V1"),
          Map.entry(131332, "MDC_ECG_ELEC_POTL_V2"),
          Map.entry(131333, "MDC_ECG_ELEC_POTL_V3"),
          Map.entry(131334, "MDC_ECG_ELEC_POTL_V4"),
          Map.entry(131335, "MDC_ECG_ELEC_POTL_V5"),
          Map.entry(131336, "MDC_ECG_ELEC_POTL_V6"));

  private Mdc() {}

  public static String name(int code) {
    return NAMES.get(code);
  }

  public static boolean isEcgLead(int code) {
    return code != 131328 && NAMES.getOrDefault(code, "").startsWith("MDC_ECG_ELEC_POTL");
  }
}
