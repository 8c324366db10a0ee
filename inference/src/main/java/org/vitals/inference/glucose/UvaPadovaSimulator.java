package org.vitals.inference.glucose;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates synthetic 5-min CGM traces from a {@link VirtualPatient}: the {@link UvaPadovaModel}
 * integrated every minute under a random daily meal scenario (three meals and an optional snack,
 * times and sizes drawn around typical adult habits), a basal–bolus therapy with the patient's CR
 * and CF (boluses misjudge the carbohydrate by up to ±30 % and are sometimes forgotten, as in real
 * life), and {@link SensorNoise}. The same seed gives the same trace.
 *
 * <p>Synthetic traces are research and test data, not clinical evidence (see
 * clinical-rules-and-models.md §6.3).
 */
public final class UvaPadovaSimulator {

  private static final double TARGET_MGDL = 140;
  private static final int MEAL_MINUTES = 5;

  /** A meal of the scenario: start minute and carbohydrate in grams. */
  public record Meal(int minute, double grams) {}

  private UvaPadovaSimulator() {}

  /** A random scenario of the given number of days. */
  public static List<Meal> randomMeals(int days, Random rnd) {
    List<Meal> meals = new ArrayList<>();
    for (int day = 0; day < days; day++) {
      int base = day * 1440;
      meals.add(
          new Meal(base + 7 * 60 + (int) (rnd.nextGaussian() * 45), 30 + rnd.nextDouble() * 40));
      meals.add(
          new Meal(
              base + 12 * 60 + 30 + (int) (rnd.nextGaussian() * 45), 40 + rnd.nextDouble() * 50));
      meals.add(
          new Meal(base + 19 * 60 + (int) (rnd.nextGaussian() * 60), 50 + rnd.nextDouble() * 50));
      if (rnd.nextDouble() < 0.5) {
        meals.add(
            new Meal(
                base + 15 * 60 + 30 + (int) (rnd.nextGaussian() * 60), 10 + rnd.nextDouble() * 20));
      }
    }
    meals.removeIf(m -> m.minute() < 0);
    meals.sort((a, b) -> Integer.compare(a.minute(), b.minute()));
    return meals;
  }

  /** Simulates {@code days} days of CGM for the patient; the trace id is the patient's name. */
  public static CgmTrace simulate(VirtualPatient patient, int days, long seed) {
    Random rnd = new Random(seed);
    return simulate(
        patient,
        randomMeals(days, rnd),
        days,
        rnd,
        SensorNoise.dexcomLike(seed ^ 0x5DEECE66DL),
        true);
  }

  /**
   * Simulates with a given meal list. With {@code misjudge} false, boluses match the carbohydrate
   * exactly (for tests).
   */
  public static CgmTrace simulate(
      VirtualPatient patient,
      List<Meal> meals,
      int days,
      Random rnd,
      SensorNoise noise,
      boolean misjudge) {
    UvaPadovaModel model = new UvaPadovaModel(patient);
    double basal = UvaPadovaModel.basalUnitsPerMinute(patient);
    double[] x = patient.x0().clone();
    int minutes = days * 1440;
    double[] carbs = new double[minutes];
    double[] bolus = new double[minutes];
    for (Meal m : meals) {
      if (m.minute() >= minutes) {
        continue;
      }
      for (int k = 0; k < MEAL_MINUTES && m.minute() + k < minutes; k++) {
        carbs[m.minute() + k] += m.grams() / MEAL_MINUTES;
      }
    }
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    List<CgmReading> readings = new ArrayList<>();
    double lastQsto = 0;
    double foodTaken = 0;
    boolean eating = false;
    for (int t = 0; t < minutes; t++) {
      double g = model.subcutaneousGlucose(x);
      if (carbs[t] > 0 && !eating) {
        // Meal starts: bolus for the (mis)estimated carbohydrate plus a correction.
        eating = true;
        lastQsto = x[0] + x[1];
        foodTaken = 0;
        double total = 0;
        for (int k = t; k < minutes && carbs[k] > 0; k++) {
          total += carbs[k];
        }
        double estimate = misjudge ? total * (1 + (rnd.nextDouble() - 0.5) * 0.6) : total;
        boolean forgotten = misjudge && rnd.nextDouble() < 0.08;
        double correction = Math.max(0, (g - TARGET_MGDL) / patient.cf());
        bolus[t] = forgotten ? 0 : estimate / patient.cr() + correction;
      } else if (carbs[t] == 0) {
        eating = false;
      }
      if (carbs[t] > 0) {
        foodTaken += carbs[t];
      }
      double dbar = lastQsto + foodTaken * 1000;
      x = model.step(x, 1.0, carbs[t] * 1000, basal + bolus[t], dbar);
      if (t % 5 == 0) {
        readings.add(
            new CgmReading(
                start.plus(Duration.ofMinutes(t)), noise.read(model.subcutaneousGlucose(x))));
      }
    }
    return new CgmTrace(patient.name(), readings);
  }
}
