package org.vitals.systemtests;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample of durations in milliseconds. */
public final class Percentiles {
  private final long[] sorted;

  public Percentiles(long[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  public int count() {
    return sorted.length;
  }

  /** The nearest-rank {@code p}-th percentile (0 &lt; p &le; 100), or -1 for an empty sample. */
  public long at(double p) {
    if (sorted.length == 0) {
      return -1;
    }
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  public long max() {
    return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
  }

  /** {@code p50 12 ms, p90 30 ms, p99 80 ms, max 120 ms (n=100)} or {@code no samples}. */
  public String summary() {
    if (sorted.length == 0) {
      return "no samples";
    }
    return String.format(
        "p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (n=%d)",
        at(50), at(90), at(99), max(), sorted.length);
  }
}
