package org.vitals.inference.glucose;

import java.util.ArrayList;
import java.util.List;

/**
 * All gap-free forecast windows of some traces: histories and the readings 30 and 60 min after
 * them, plus how many candidate windows were skipped for a gap.
 *
 * <p>A candidate window is every reading with at least {@value ForecastWindows#HISTORY}-1 readings
 * before it and {@value ForecastWindows#STEPS_60} after it in its trace; it is used only if all 23
 * steps in it are regular CGM intervals.
 */
public final class WindowSet {

  private final List<ForecastInput> inputs = new ArrayList<>();
  private final List<double[]> targets = new ArrayList<>();
  private final List<String> traceIds = new ArrayList<>();
  private long skippedForGap;
  private int traces;

  /** Collects the windows of the traces. */
  public static WindowSet of(List<CgmTrace> traces) {
    WindowSet set = new WindowSet();
    for (CgmTrace t : traces) {
      set.add(t);
    }
    return set;
  }

  /** Adds the windows of one trace. */
  public void add(CgmTrace trace) {
    traces++;
    List<CgmReading> r = trace.readings();
    int[] run = ForecastWindows.regularRuns(r);
    double[][] prefix = ForecastInput.prefixSums(r);
    int from = ForecastWindows.HISTORY - 1;
    int to = r.size() - 1 - ForecastWindows.STEPS_60;
    for (int origin = from; origin <= to; origin++) {
      int end = origin + ForecastWindows.STEPS_60;
      if (run[end] < end - (origin - ForecastWindows.HISTORY + 1)) {
        skippedForGap++;
        continue;
      }
      inputs.add(ForecastInput.at(r, origin, prefix[0], prefix[1]));
      targets.add(
          new double[] {
            r.get(origin + ForecastWindows.STEPS_30).mgdl(),
            r.get(origin + ForecastWindows.STEPS_60).mgdl()
          });
      traceIds.add(trace.id());
    }
  }

  /** Number of usable windows. */
  public int size() {
    return inputs.size();
  }

  /** Candidate windows left out because of a gap. */
  public long skippedForGap() {
    return skippedForGap;
  }

  /** Number of traces added. */
  public int traces() {
    return traces;
  }

  /** What the forecaster sees in window i. */
  public ForecastInput input(int i) {
    return inputs.get(i);
  }

  /** Actual glucose 30 min after window i's last reading. */
  public double actual30(int i) {
    return targets.get(i)[0];
  }

  /** Actual glucose 60 min after window i's last reading. */
  public double actual60(int i) {
    return targets.get(i)[1];
  }

  /** Id of the trace window i came from. */
  public String traceId(int i) {
    return traceIds.get(i);
  }
}
