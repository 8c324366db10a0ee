package org.vitals.cds.recommend;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vitals.cds.clinical.BloodPressureRule;
import org.vitals.cds.clinical.Guideline;
import org.vitals.cds.clinical.PatientData;
import org.vitals.inference.bp.BloodPressureAnalysis;
import org.vitals.inference.bp.BloodPressureReading;
import org.vitals.inference.bp.BloodPressureSummary;
import org.vitals.inference.bp.BpCategory;
import org.vitals.inference.glucose.CgmReading;
import org.vitals.inference.glucose.TimeInRange;

/**
 * Lifestyle and self-management suggestions from a patient's own readings, each with its source:
 * non-drug measures for raised blood pressure and home monitoring (2017 ACC/AHA guideline, sections
 * 6 and 4.2), time in range and hypoglycaemia below range (International Consensus on Time in
 * Range, Battelino 2019), and how regularly readings are taken (the same sources' data-sufficiency
 * rules). Pure: data in, suggestions out.
 */
public final class RecommendationRules {

  /**
   * Home BP readings per week the ACC/AHA home-monitoring protocol asks for (2 × 2 a day, 7 days).
   */
  static final int HOME_BP_READINGS_PER_WEEK = 12;

  private RecommendationRules() {}

  public static List<Recommendation> evaluate(PatientData data) {
    List<Recommendation> out = new ArrayList<>();
    bloodPressure(data, out);
    glucose(data, out);
    return out;
  }

  private static void bloodPressure(PatientData data, List<Recommendation> out) {
    List<BloodPressureReading> readings = BloodPressureRule.readings(data);
    if (readings.isEmpty()) {
      return;
    }
    BloodPressureSummary s = BloodPressureAnalysis.analyse(readings);
    String numbers =
        "mean "
            + Math.round(s.meanSystolic())
            + "/"
            + Math.round(s.meanDiastolic())
            + " mmHg over "
            + s.readings()
            + " readings in the last 30 days ("
            + s.periodCategory().label()
            + ")";
    if (s.crisis()) {
      out.add(
          new Recommendation(
              "bp-crisis",
              "Very high blood pressure reading",
              "One of your readings was above 180/120 mmHg. Sit quietly for 5 minutes and measure"
                  + " again. If it stays this high, or you have chest pain, shortness of breath,"
                  + " weakness, trouble speaking or a severe headache, call emergency services.",
              numbers,
              Guideline.BP));
    }
    if (s.periodCategory().compareTo(BpCategory.ELEVATED) >= 0) {
      out.add(
          new Recommendation(
              "bp-lifestyle",
              "Lower your blood pressure with daily habits",
              "Eat a DASH-style diet (vegetables, fruit, whole grains, low-fat dairy), keep salt"
                  + " low (under 1,500 mg of sodium a day), be active 90–150 minutes a week,"
                  + " limit alcohol to 1–2 drinks a day, and aim for a healthy weight. Each step"
                  + " lowers systolic pressure by about 4–11 mmHg.",
              numbers,
              Guideline.BP));
      Instant weekAgo = data.now().minus(Duration.ofDays(7));
      long lastWeek = readings.stream().filter(r -> r.time().isAfter(weekAgo)).count();
      if (lastWeek < HOME_BP_READINGS_PER_WEEK) {
        out.add(
            new Recommendation(
                "bp-home-monitoring",
                "Measure your blood pressure regularly at home",
                "Take two readings a minute apart every morning and evening for 7 days, seated"
                    + " after 5 minutes of rest, before medication and caffeine. Your care team"
                    + " uses the average.",
                lastWeek + " readings in the last 7 days (the protocol asks for 24, at least 12)",
                Guideline.BP));
      }
    }
  }

  private static void glucose(PatientData data, List<Recommendation> out) {
    Instant from = data.now().minus(Duration.ofDays(14));
    List<CgmReading> readings =
        data.of(org.vitals.cds.clinical.VitalKind.GLUCOSE).stream()
            .filter(r -> r.time().isAfter(from))
            .filter(r -> r.value() >= CgmReading.MIN_MGDL && r.value() <= CgmReading.MAX_MGDL)
            .map(r -> new CgmReading(r.time(), r.value()))
            .toList();
    if (readings.size() < 2) {
      return;
    }
    TimeInRange t = TimeInRange.of(readings);
    String numbers =
        String.format(
            java.util.Locale.ROOT,
            "%.0f %% in range 70–180 mg/dL, %.1f %% below 70, %.0f %% above 180 over %.1f days"
                + " (%.0f %% sensor wear)",
            t.inRangePercent(),
            t.belowRangePercent(),
            t.aboveRangePercent(),
            t.days(),
            t.wearPercent());
    if (t.days() >= 1 && t.wearPercent() < 70) {
      out.add(
          new Recommendation(
              "cgm-wear",
              "Wear your glucose sensor all the time",
              "Reports are reliable when the sensor records at least 70 % of the time over 14"
                  + " days. Replace sensors on time and keep the reader or phone nearby.",
              numbers,
              Guideline.TIME_IN_RANGE));
    }
    if (t.belowRangePercent() > 4) {
      out.add(
          new Recommendation(
              "glucose-below-range",
              "Too much time with low glucose",
              "Keep fast-acting glucose with you, treat readings under 70 mg/dL with 15 g of"
                  + " carbohydrate and re-check after 15 minutes, and review your lows with your"
                  + " diabetes team (target: under 4 % of time below 70 mg/dL).",
              numbers,
              Guideline.TIME_IN_RANGE));
    }
    if (t.inRangePercent() < 70 && t.days() >= 1) {
      out.add(
          new Recommendation(
              "glucose-time-in-range",
              "Raise your time in range",
              "Aim for more than 70 % of the day between 70 and 180 mg/dL. Look for patterns"
                  + " after meals and overnight, and discuss them with your diabetes team.",
              numbers,
              Guideline.TIME_IN_RANGE));
    }
  }
}
