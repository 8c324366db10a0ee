package org.vitals.gateway.ingest.sensors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Recorded sample streams for the sensor tests (src/test/resources/sensors). */
public final class RecordedPpg {
  private RecordedPpg() {}

  /** A recorded BIDMC record 01 pleth stream (25 Hz) and its ECG lead II (125 Hz). */
  public static List<Double> recorded(String column) {
    try (InputStream in = RecordedPpg.class.getResourceAsStream("/sensors/bidmc01-60s.csv")) {
      List<Double> out = new ArrayList<>();
      boolean on = false;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("#")) {
          continue;
        }
        if (!line.matches("-?[0-9.]+")) {
          on = line.equals(column);
          continue;
        }
        if (on) {
          out.add(Double.parseDouble(line));
        }
      }
      return out;
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("test resource /sensors/bidmc01-60s.csv is missing", e);
    }
  }

  /** Red/IR made from the recorded pleth with ratio of ratios {@code r}. */
  public static List<Max30102.Sample> stream(double r) {
    List<Double> p = recorded("pleth_25hz");
    double min = p.stream().mapToDouble(d -> d).min().orElseThrow();
    double max = p.stream().mapToDouble(d -> d).max().orElseThrow();
    double mean = p.stream().mapToDouble(d -> d).average().orElseThrow();
    return p.stream()
        .map(v -> (v - mean) / (max - min))
        .map(
            pn ->
                new Max30102.Sample(
                    (int) Math.round(90000 - 90000 * (4000.0 / 120000) * r * pn),
                    (int) Math.round(120000 - 4000 * pn)))
        .collect(Collectors.toList());
  }
}
