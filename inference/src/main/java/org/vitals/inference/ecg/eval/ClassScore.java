package org.vitals.inference.ecg.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vitals.inference.ecg.AamiClass;

/**
 * AAMI EC57 class statistics: confusion matrix {@code M[true][predicted]} over matched beats, plus
 * missed reference beats (false negatives of their class) and unmatched detections (false positives
 * of the class they were given). Se = TP/(TP+FN), +P = TP/(TP+FP), gross accuracy = sum of TP over
 * matched beats.
 */
public final class ClassScore {
  private static final int K = AamiClass.values().length;
  private final long[][] matrix = new long[K][K];
  private final long[] missed = new long[K];
  private final long[] extra = new long[K];

  public void addMatched(AamiClass truth, AamiClass predicted) {
    matrix[truth.ordinal()][predicted.ordinal()]++;
  }

  public void addMissed(AamiClass truth) {
    missed[truth.ordinal()]++;
  }

  public void addExtra(AamiClass predicted) {
    extra[predicted.ordinal()]++;
  }

  public void addAll(ClassScore other) {
    for (int i = 0; i < K; i++) {
      for (int j = 0; j < K; j++) {
        matrix[i][j] += other.matrix[i][j];
      }
      missed[i] += other.missed[i];
      extra[i] += other.extra[i];
    }
  }

  public long tp(AamiClass c) {
    return matrix[c.ordinal()][c.ordinal()];
  }

  public long fn(AamiClass c) {
    long s = missed[c.ordinal()];
    for (int j = 0; j < K; j++) {
      if (j != c.ordinal()) {
        s += matrix[c.ordinal()][j];
      }
    }
    return s;
  }

  public long fp(AamiClass c) {
    long s = extra[c.ordinal()];
    for (int i = 0; i < K; i++) {
      if (i != c.ordinal()) {
        s += matrix[i][c.ordinal()];
      }
    }
    return s;
  }

  /** Sensitivity in percent, or NaN when the class has no reference beats. */
  public double se(AamiClass c) {
    return percent(tp(c), tp(c) + fn(c));
  }

  /** Positive predictivity in percent, or NaN when nothing was given this class. */
  public double ppv(AamiClass c) {
    return percent(tp(c), tp(c) + fp(c));
  }

  /** Gross accuracy over matched beats in percent. */
  public double accuracy() {
    long diag = 0;
    long total = 0;
    for (int i = 0; i < K; i++) {
      for (int j = 0; j < K; j++) {
        total += matrix[i][j];
      }
      diag += matrix[i][i];
    }
    return percent(diag, total);
  }

  public long[][] matrix() {
    long[][] copy = new long[K][];
    for (int i = 0; i < K; i++) {
      copy[i] = matrix[i].clone();
    }
    return copy;
  }

  /** The {@code classes} object of the evaluation JSON: per class tp, fn, fp, se, ppv. */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (AamiClass c : AamiClass.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tp", tp(c));
      m.put("fn", fn(c));
      m.put("fp", fp(c));
      m.put("se", round(se(c)));
      m.put("ppv", round(ppv(c)));
      out.put(c.reportName(), m);
    }
    return out;
  }

  /** A percentage rounded to 2 decimals, or null (JSON null) when undefined. */
  public static Double round(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 100) / 100.0;
  }

  static double percent(long num, long den) {
    return den == 0 ? Double.NaN : 100.0 * num / den;
  }

  /** One-line summary, for progress output and model cards. */
  public String summary() {
    return String.format(
        "acc %.2f | N Se %.1f +P %.1f | SVEB Se %.1f +P %.1f | VEB Se %.1f +P %.1f | F Se %.1f"
            + " +P %.1f",
        accuracy(),
        se(AamiClass.N),
        ppv(AamiClass.N),
        se(AamiClass.S),
        ppv(AamiClass.S),
        se(AamiClass.V),
        ppv(AamiClass.V),
        se(AamiClass.F),
        ppv(AamiClass.F));
  }
}
