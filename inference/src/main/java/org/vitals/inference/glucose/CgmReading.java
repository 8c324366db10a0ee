package org.vitals.inference.glucose;

import java.time.Instant;
import java.util.Objects;

/**
 * One continuous-glucose-monitor reading in mg/dL (mmol/L × 18.016). Values outside what CGM
 * sensors report (roughly 39–401 mg/dL) are refused: mmol/L data or a corrupt feed must not be
 * forecast as if it were mg/dL.
 */
public record CgmReading(Instant time, double mgdl) {

  /** Lowest value a CGM reports (sensors clip at 39 or 40 mg/dL; some at 32). */
  public static final double MIN_MGDL = 20;

  /** Highest value a CGM reports (sensors clip at 400–600 mg/dL). */
  public static final double MAX_MGDL = 600;

  public CgmReading {
    Objects.requireNonNull(time, "time is required");
    if (!Double.isFinite(mgdl)) {
      throw new IllegalArgumentException("glucose at " + time + " is not a number: " + mgdl);
    }
    if (mgdl < MIN_MGDL || mgdl > MAX_MGDL) {
      throw new IllegalArgumentException(
          "glucose "
              + mgdl
              + " at "
              + time
              + " is outside "
              + MIN_MGDL
              + "–"
              + MAX_MGDL
              + " mg/dL"
              + (mgdl > 1 && mgdl < MIN_MGDL ? " (mmol/L? multiply by 18.016)" : ""));
    }
  }
}
