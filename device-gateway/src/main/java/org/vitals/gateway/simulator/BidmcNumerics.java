package org.vitals.gateway.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * 1-Hz numerics (HR, PULSE, RESP, SpO2) of one BIDMC PPG and Respiration Dataset recording
 * (Pimentel et al., IEEE TBME 64(8), 2017). Missing values (NaN) are kept as NaN.
 */
public record BidmcNumerics(
    String name, double[] hr, double[] pulse, double[] resp, double[] spo2) {

  public static BidmcNumerics read(Path dir, int record) throws IOException {
    String name = String.format("bidmc_%02d_Numerics.csv", record);
    Path file = dir.resolve(name);
    if (!Files.exists(file)) {
      throw new IOException(
          "BIDMC numerics "
              + name
              + " not found in "
              + dir.toAbsolutePath()
              + " (set --data or VITALS_SHARED_DATA)");
    }
    List<String> lines = Files.readAllLines(file);
    String[] header = lines.get(0).split(",");
    int iHr = col(header, "HR"),
        iPulse = col(header, "PULSE"),
        iResp = col(header, "RESP"),
        iSpo2 = col(header, "SpO2");
    List<double[]> rows = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] c = l.split(",");
      rows.add(new double[] {num(c, iHr), num(c, iPulse), num(c, iResp), num(c, iSpo2)});
    }
    int n = rows.size();
    double[] hr = new double[n], pulse = new double[n], resp = new double[n], spo2 = new double[n];
    for (int i = 0; i < n; i++) {
      hr[i] = rows.get(i)[0];
      pulse[i] = rows.get(i)[1];
      resp[i] = rows.get(i)[2];
      spo2[i] = rows.get(i)[3];
    }
    return new BidmcNumerics(name, hr, pulse, resp, spo2);
  }

  private static int col(String[] header, String name) {
    for (int i = 0; i < header.length; i++) {
      if (header[i].trim().equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("column " + name + " missing in BIDMC numerics header");
  }

  private static double num(String[] c, int i) {
    if (i >= c.length) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(c[i].trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
