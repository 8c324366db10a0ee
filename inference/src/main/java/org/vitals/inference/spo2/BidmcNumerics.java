package org.vitals.inference.spo2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the 1 Hz numerics of the BIDMC PPG and Respiration Dataset (PhysioNet {@code bidmc},
 * Pimentel MAF et al., IEEE TBME 2017;64:1914; ODC-By 1.0): {@code bidmc_NN_Numerics.csv} with
 * header {@code Time [s], HR, PULSE, RESP, SpO2} and {@code NaN} for missing values.
 */
public final class BidmcNumerics {

  private BidmcNumerics() {}

  /** Reads the SpO2 and pulse columns as a series. */
  public static SpO2Series read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty");
    }
    String[] header = lines.get(0).split(",");
    int spo2Col = column(header, "SpO2", file);
    int pulseCol = column(header, "PULSE", file);
    int timeCol = column(header, "Time [s]", file);
    List<double[]> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(",");
      rows.add(
          new double[] {
            parse(f[timeCol], file, i), parse(f[spo2Col], file, i), parse(f[pulseCol], file, i)
          });
    }
    if (rows.size() < 2) {
      throw new IllegalArgumentException(file + " holds fewer than two samples");
    }
    double interval = rows.get(1)[0] - rows.get(0)[0];
    double[] spo2 = new double[rows.size()];
    double[] pulse = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      double expected = rows.get(0)[0] + i * interval;
      if (Math.abs(rows.get(i)[0] - expected) > 1e-6) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (i + 2)
                + ": time "
                + rows.get(i)[0]
                + " s breaks the regular "
                + interval
                + " s sampling");
      }
      spo2[i] = rows.get(i)[1];
      pulse[i] = rows.get(i)[2];
    }
    return new SpO2Series(interval, spo2, pulse);
  }

  private static int column(String[] header, String name, Path file) {
    for (int i = 0; i < header.length; i++) {
      if (header[i].trim().equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(file + " has no column '" + name + "'");
  }

  private static double parse(String s, Path file, int line) {
    String t = s.trim();
    if (t.isEmpty() || t.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + " line " + (line + 1) + ": not a number: " + t);
    }
  }
}
