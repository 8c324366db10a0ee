package org.vitals.inference.glucose;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CGM traces from CSV with columns {@code id,time,gl} (the GlucoBench layout: glucose in
 * mg/dL, local time {@code yyyy-MM-dd HH:mm:ss}, optional quotes). Times carry no zone and are read
 * as UTC; only differences between them matter. Empty and {@code NA} glucose cells are skipped and
 * counted; anything else that is not a plausible mg/dL value is an error naming the line.
 */
public final class CgmCsv {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** The traces of a file and how many rows had no glucose value. */
  public record Contents(List<CgmTrace> traces, int missingValues) {}

  private CgmCsv() {}

  /** Reads every trace in the file, in order of first appearance. */
  public static Contents read(Path file) throws IOException {
    Map<String, List<CgmReading>> byId = new LinkedHashMap<>();
    int missing = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null) {
        throw new IllegalArgumentException(file + " is empty: expected a header id,time,gl");
      }
      String[] cols = split(header);
      int idCol = index(cols, "id", file);
      int timeCol = index(cols, "time", file);
      int glCol = index(cols, "gl", file);
      String line;
      int lineNo = 1;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = split(line);
        if (f.length <= Math.max(idCol, Math.max(timeCol, glCol))) {
          throw new IllegalArgumentException(file + " line " + lineNo + ": too few columns");
        }
        String gl = f[glCol];
        if (gl.isEmpty() || gl.equalsIgnoreCase("NA") || gl.equalsIgnoreCase("NaN")) {
          missing++;
          continue;
        }
        double value;
        LocalDateTime time;
        try {
          value = Double.parseDouble(gl);
          time = LocalDateTime.parse(f[timeCol], TIME);
        } catch (NumberFormatException | DateTimeParseException e) {
          throw new IllegalArgumentException(
              file + " line " + lineNo + ": cannot read '" + line + "': " + e.getMessage());
        }
        try {
          byId.computeIfAbsent(f[idCol], k -> new ArrayList<>())
              .add(new CgmReading(time.toInstant(ZoneOffset.UTC), value));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + " line " + lineNo + ": " + e.getMessage());
        }
      }
    }
    List<CgmTrace> traces = new ArrayList<>();
    byId.forEach((id, readings) -> traces.add(new CgmTrace(id, readings)));
    if (traces.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no glucose readings");
    }
    return new Contents(traces, missing);
  }

  private static int index(String[] cols, String name, Path file) {
    for (int i = 0; i < cols.length; i++) {
      if (cols[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        file + " has no column '" + name + "' (expected id,time,gl with glucose in mg/dL)");
  }

  private static String[] split(String line) {
    String[] f = line.split(",", -1);
    for (int i = 0; i < f.length; i++) {
      String s = f[i].trim();
      if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
        s = s.substring(1, s.length() - 1);
      }
      f[i] = s;
    }
    return f;
  }
}
