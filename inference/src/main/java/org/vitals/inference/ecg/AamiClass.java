package org.vitals.inference.ecg;

import java.util.Optional;

/**
 * AAMI EC57 heartbeat classes and the MIT-BIH symbol mapping of de Chazal, O'Dwyer & Reilly (IEEE
 * TBME 51(7):1196, 2004).
 */
public enum AamiClass {
  /** Normal, bundle branch block and escape beats: N, L, R, e, j. */
  N("N", "N"),
  /** Supraventricular ectopic beats: A, a, J, S. */
  S("S", "SVEB"),
  /** Ventricular ectopic beats: V, E. */
  V("V", "VEB"),
  /** Fusion of ventricular and normal beats: F. */
  F("F", "F"),
  /** Paced, fusion of paced and normal, unclassifiable: /, f, Q. */
  Q("Q", "Q");

  private final String letter;
  private final String reportName;

  AamiClass(String letter, String reportName) {
    this.letter = letter;
    this.reportName = reportName;
  }

  /** The one-letter class used in {@code beats.csv}: N, S, V, F or Q. */
  public String letter() {
    return letter;
  }

  /** The name used in evaluation reports: N, SVEB, VEB, F, Q. */
  public String reportName() {
    return reportName;
  }

  /** The AAMI class of an MIT-BIH beat symbol; empty for non-beat annotations. */
  public static Optional<AamiClass> fromMitSymbol(String symbol) {
    return Optional.ofNullable(
        switch (symbol) {
          case "N", "L", "R", "e", "j" -> N;
          case "A", "a", "J", "S" -> S;
          case "V", "E" -> V;
          case "F" -> F;
          case "/", "f", "Q" -> Q;
          default -> null;
        });
  }

  /** The class of a one-letter code as written in {@code beats.csv}. */
  public static AamiClass fromLetter(String letter) {
    for (AamiClass c : values()) {
      if (c.letter.equals(letter)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown AAMI class letter '" + letter + "'");
  }
}
