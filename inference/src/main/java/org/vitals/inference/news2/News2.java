package org.vitals.inference.news2;

import java.util.EnumMap;
import java.util.Map;

/**
 * National Early Warning Score 2, exactly as the Royal College of Physicians defines it (RCP,
 * "National Early Warning Score (NEWS) 2: Standardising the assessment of acute-illness severity in
 * the NHS", London 2017, chart 1 "The NEWS scoring system" and chart 2 "thresholds and triggers").
 *
 * <p>The chart lists whole numbers for respiration rate, SpO2, systolic pressure and pulse and one
 * decimal for temperature; measured values are rounded half-up to that precision before they are
 * looked up, so 91.6 % scores like 92 %.
 */
public final class News2 {

  private News2() {}

  /** Scores one complete set of observations. */
  public static News2Result score(News2Input in) {
    Map<News2Parameter, Integer> sub = new EnumMap<>(News2Parameter.class);
    sub.put(News2Parameter.RESPIRATION_RATE, respirationRate(in.respirationRate()));
    sub.put(
        News2Parameter.SPO2,
        in.spo2Scale() == SpO2Scale.SCALE_2
            ? spo2Scale2(in.spo2Percent(), in.onSupplementalOxygen())
            : spo2Scale1(in.spo2Percent()));
    sub.put(News2Parameter.AIR_OR_OXYGEN, in.onSupplementalOxygen() ? 2 : 0);
    sub.put(News2Parameter.SYSTOLIC_BP, systolicBp(in.systolicBp()));
    sub.put(News2Parameter.PULSE, pulse(in.pulse()));
    sub.put(News2Parameter.CONSCIOUSNESS, consciousness(in.consciousness()));
    sub.put(News2Parameter.TEMPERATURE, temperature(in.temperatureCelsius()));
    int total = sub.values().stream().mapToInt(Integer::intValue).sum();
    boolean red = sub.values().stream().anyMatch(s -> s == 3);
    return new News2Result(total, sub, red, band(total, red));
  }

  /** RCP chart 2: aggregate thresholds first, then the single-parameter-3 trigger. */
  static News2ResponseBand band(int total, boolean singleParameterThree) {
    if (total >= 7) {
      return News2ResponseBand.HIGH;
    }
    if (total >= 5) {
      return News2ResponseBand.MEDIUM;
    }
    if (singleParameterThree) {
      return News2ResponseBand.LOW_MEDIUM;
    }
    return total == 0 ? News2ResponseBand.NONE : News2ResponseBand.LOW;
  }

  /** ≤8: 3; 9–11: 1; 12–20: 0; 21–24: 2; ≥25: 3. */
  static int respirationRate(double value) {
    long rr = Math.round(value);
    if (rr <= 8) {
      return 3;
    }
    if (rr <= 11) {
      return 1;
    }
    if (rr <= 20) {
      return 0;
    }
    return rr <= 24 ? 2 : 3;
  }

  /** Scale 1: ≤91: 3; 92–93: 2; 94–95: 1; ≥96: 0. */
  static int spo2Scale1(double value) {
    long s = Math.round(value);
    if (s <= 91) {
      return 3;
    }
    if (s <= 93) {
      return 2;
    }
    return s <= 95 ? 1 : 0;
  }

  /**
   * Scale 2: ≤83: 3; 84–85: 2; 86–87: 1; 88–92 or ≥93 on air: 0; on oxygen 93–94: 1, 95–96: 2, ≥97:
   * 3 (over-oxygenation of a patient whose target is 88–92 % is itself a risk).
   */
  static int spo2Scale2(double value, boolean onOxygen) {
    long s = Math.round(value);
    if (s <= 83) {
      return 3;
    }
    if (s <= 85) {
      return 2;
    }
    if (s <= 87) {
      return 1;
    }
    if (s <= 92 || !onOxygen) {
      return 0;
    }
    if (s <= 94) {
      return 1;
    }
    return s <= 96 ? 2 : 3;
  }

  /** ≤90: 3; 91–100: 2; 101–110: 1; 111–219: 0; ≥220: 3. */
  static int systolicBp(double value) {
    long sbp = Math.round(value);
    if (sbp <= 90) {
      return 3;
    }
    if (sbp <= 100) {
      return 2;
    }
    if (sbp <= 110) {
      return 1;
    }
    return sbp <= 219 ? 0 : 3;
  }

  /** ≤40: 3; 41–50: 1; 51–90: 0; 91–110: 1; 111–130: 2; ≥131: 3. */
  static int pulse(double value) {
    long hr = Math.round(value);
    if (hr <= 40) {
      return 3;
    }
    if (hr <= 50) {
      return 1;
    }
    if (hr <= 90) {
      return 0;
    }
    if (hr <= 110) {
      return 1;
    }
    return hr <= 130 ? 2 : 3;
  }

  /** Alert: 0; new confusion, voice, pain or unresponsive: 3. */
  static int consciousness(ConsciousnessLevel level) {
    return level == ConsciousnessLevel.ALERT ? 0 : 3;
  }

  /** ≤35.0: 3; 35.1–36.0: 1; 36.1–38.0: 0; 38.1–39.0: 1; ≥39.1: 2. */
  static int temperature(double celsius) {
    // Work in tenths of a degree so 36.0 stays 36.0 (binary fractions would misplace it).
    long tenths = Math.round(celsius * 10.0);
    if (tenths <= 350) {
      return 3;
    }
    if (tenths <= 360) {
      return 1;
    }
    if (tenths <= 380) {
      return 0;
    }
    return tenths <= 390 ? 1 : 2;
  }
}
