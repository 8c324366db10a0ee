package org.vitals.inference.glucose;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Shared fixtures of the glucose tests. */
final class GlucoseFixtures {

  static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

  private GlucoseFixtures() {}

  static Path resource(String name) {
    try {
      return Path.of(GlucoseFixtures.class.getResource(name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource missing: " + name, e);
    }
  }

  /** Committed sample of Colas 2019 (CC BY 4.0): 3 people, about 2 days each. */
  static Path colasSample() {
    return resource("/cgm/colas2019-sample.csv");
  }

  /** Readings every 5 min from T0 with the given values. */
  static List<CgmReading> every5min(double... values) {
    List<CgmReading> r = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      r.add(new CgmReading(T0.plus(Duration.ofMinutes(5L * i)), values[i]));
    }
    return r;
  }

  /** A straight line: {@code n} readings from {@code start}, changing {@code perStep} each. */
  static List<CgmReading> line(int n, double start, double perStep) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = start + perStep * i;
    }
    return every5min(v);
  }
}
