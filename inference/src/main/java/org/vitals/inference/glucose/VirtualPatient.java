package org.vitals.inference.glucose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One virtual type 1 diabetes patient of the UVA/Padova simulator: the Dalla Man 2007 model
 * parameters and initial state ({@code vpatient_params.csv}) and therapy settings ({@code
 * Quest.csv}: carbohydrate ratio CR g/U, correction factor CF mg/dL/U), as published with
 * simglucose (Xie J, 2018, MIT licence; /work/shared/data/simglucose).
 */
public record VirtualPatient(
    String name, Map<String, Double> params, double[] x0, double cr, double cf) {

  /** A named parameter; fails loudly if the CSV lacks it. */
  public double p(String key) {
    Double v = params.get(key);
    if (v == null) {
      throw new IllegalArgumentException("patient " + name + " has no parameter " + key);
    }
    return v;
  }

  /** Reads all patients from a simglucose params directory. */
  public static List<VirtualPatient> readAll(Path dir) throws IOException {
    Path params = dir.resolve("vpatient_params.csv");
    Path quest = dir.resolve("Quest.csv");
    if (!Files.isRegularFile(params) || !Files.isRegularFile(quest)) {
      throw new IOException(
          "simglucose parameters not found: need vpatient_params.csv and Quest.csv in "
              + dir.toAbsolutePath());
    }
    Map<String, double[]> therapy = new HashMap<>();
    List<String> q = Files.readAllLines(quest, StandardCharsets.UTF_8);
    String[] qh = q.get(0).split(",");
    for (int i = 1; i < q.size(); i++) {
      String[] f = q.get(i).split(",");
      if (f.length < 3) {
        continue;
      }
      therapy.put(
          f[0].trim(),
          new double[] {
            Double.parseDouble(f[indexOf(qh, "CR")]), Double.parseDouble(f[indexOf(qh, "CF")])
          });
    }
    List<String> lines = Files.readAllLines(params, StandardCharsets.UTF_8);
    String[] header = lines.get(0).split(",");
    List<VirtualPatient> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      if (f.length < header.length - 1) {
        continue;
      }
      String name = f[0].trim();
      Map<String, Double> map = new HashMap<>();
      double[] x0 = new double[UvaPadovaModel.STATES];
      for (int c = 1; c < header.length && c < f.length; c++) {
        String key = header[c].trim().replace(" ", "");
        double v;
        try {
          v = Double.parseDouble(f[c].trim());
        } catch (NumberFormatException e) {
          continue;
        }
        if (key.startsWith("x0_")) {
          x0[Integer.parseInt(key.substring(3)) - 1] = v;
        } else {
          map.put(key, v);
        }
      }
      double[] t = therapy.get(name);
      if (t == null) {
        throw new IllegalArgumentException("Quest.csv has no therapy settings for " + name);
      }
      out.add(new VirtualPatient(name, map, x0, t[0], t[1]));
    }
    return out;
  }

  private static int indexOf(String[] header, String name) {
    for (int i = 0; i < header.length; i++) {
      if (header[i].trim().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("Quest.csv has no column " + name);
  }
}
