package org.vitals.inference.glucose;

import java.util.Random;

/**
 * CGM sensor error of the UVA/Padova simulator (Breton M, Kovatchev B, "Analysis, modeling, and
 * simulation of the accuracy of continuous glucose sensors", J Diabetes Sci Technol
 * 2008;2(5):853-862): a Johnson S_U transform of an AR(1) Gaussian process, with the parameters of
 * simglucose {@code sensor_params.csv} (PACF 0.7, γ −0.5444, λ 15.9574, δ 1.6898, ξ −5.47).
 * Readings are clipped to the sensor range and rounded to whole mg/dL like real CGMs.
 */
public final class SensorNoise {

  private final double pacf;
  private final double gamma;
  private final double lambda;
  private final double delta;
  private final double xi;
  private final double min;
  private final double max;
  private final Random random;
  private double z;

  /** Noise with the given Johnson S_U / AR(1) parameters and sensor range. */
  public SensorNoise(
      double pacf,
      double gamma,
      double lambda,
      double delta,
      double xi,
      double min,
      double max,
      long seed) {
    this.pacf = pacf;
    this.gamma = gamma;
    this.lambda = lambda;
    this.delta = delta;
    this.xi = xi;
    this.min = min;
    this.max = max;
    this.random = new Random(seed);
    this.z = random.nextGaussian();
  }

  /** The simglucose GuardianRT / Dexcom error model (5-min CGM), range 40–400 mg/dL. */
  public static SensorNoise dexcomLike(long seed) {
    return new SensorNoise(0.7, -0.5444, 15.9574, 1.6898, -5.47, 40, 400, seed);
  }

  /** The next CGM reading for the true subcutaneous glucose. */
  public double read(double trueMgdl) {
    z = pacf * z + Math.sqrt(1 - pacf * pacf) * random.nextGaussian();
    double error = xi + lambda * StrictMath.sinh((z - gamma) / delta);
    return Math.round(Math.max(min, Math.min(max, trueMgdl + error)));
  }
}
