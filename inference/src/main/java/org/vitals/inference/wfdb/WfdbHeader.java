package org.vitals.inference.wfdb;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed WFDB {@code .hea} record header: record name, sampling frequency, length and one {@link
 * WfdbSignal} per channel. Accepts LF and CRLF line endings and {@code #} comments.
 *
 * @param recordName the record's name, for example {@code 100}
 * @param samplingFrequency samples per second per signal
 * @param samplesPerSignal number of samples in each signal (frames)
 * @param signals one entry per signal, in file order
 * @param comments the header's comment lines without the leading {@code #}
 */
public record WfdbHeader(
    String recordName,
    double samplingFrequency,
    int samplesPerSignal,
    List<WfdbSignal> signals,
    List<String> comments) {

  /** Parses header text; throws {@link WfdbFormatException} naming the bad line. */
  public static WfdbHeader parse(String text) {
    String[] lines = text.split("\r?\n|\r");
    String recordLine = null;
    List<String> signalLines = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        comments.add(line.substring(1).strip());
      } else if (recordLine == null) {
        recordLine = line;
      } else {
        signalLines.add(line);
      }
    }
    if (recordLine == null) {
      throw new WfdbFormatException("header has no record line");
    }
    String[] f = recordLine.split("\\s+");
    if (f.length < 2) {
      throw new WfdbFormatException("record line '" + recordLine + "' needs a name and a count");
    }
    String name = f[0].contains("/") ? f[0].substring(0, f[0].indexOf('/')) : f[0];
    int nSignals = parseInt(f[1], "number of signals", recordLine);
    double fs = 250;
    if (f.length > 2) {
      // "360", "360/1" (counter frequency) or "360(0)" (base counter value)
      fs = parseDouble(f[2].split("[/(]")[0], "sampling frequency", recordLine);
    }
    if (!(fs > 0)) {
      throw new WfdbFormatException("sampling frequency must be positive in '" + recordLine + "'");
    }
    int nSamples = f.length > 3 ? parseInt(f[3], "number of samples", recordLine) : 0;
    if (signalLines.size() < nSignals) {
      throw new WfdbFormatException(
          "header announces " + nSignals + " signals but has " + signalLines.size() + " lines");
    }
    List<WfdbSignal> signals = new ArrayList<>();
    for (int i = 0; i < nSignals; i++) {
      signals.add(parseSignal(signalLines.get(i)));
    }
    return new WfdbHeader(name, fs, nSamples, List.copyOf(signals), List.copyOf(comments));
  }

  private static WfdbSignal parseSignal(String line) {
    String[] f = line.split("\\s+", 9);
    if (f.length < 2) {
      throw new WfdbFormatException("signal line '" + line + "' needs a file name and a format");
    }
    // format may carry "x<samples per frame>", ":<skew>" and "+<offset>" suffixes.
    String fmtField = f[1];
    if (fmtField.matches(".*[x:].*")) {
      throw new WfdbFormatException(
          "signal line '" + line + "': multi-frequency or skewed signals are not supported");
    }
    int format = parseInt(fmtField.split("\\+")[0], "format", line);
    double gain = 200;
    String units = "mV";
    Integer baseline = null;
    if (f.length > 2) {
      String g = f[2];
      int slash = g.indexOf('/');
      if (slash >= 0) {
        units = g.substring(slash + 1);
        g = g.substring(0, slash);
      }
      int paren = g.indexOf('(');
      if (paren >= 0) {
        baseline = parseInt(g.substring(paren + 1, g.indexOf(')')), "baseline", line);
        g = g.substring(0, paren);
      }
      gain = parseDouble(g, "gain", line);
      if (gain == 0) {
        gain = 200; // WFDB: a gain of 0 means "uncalibrated", use the default
      }
    }
    int adcRes = f.length > 3 ? parseInt(f[3], "ADC resolution", line) : 12;
    int adcZero = f.length > 4 ? parseInt(f[4], "ADC zero", line) : 0;
    int initial = f.length > 5 ? parseInt(f[5], "initial value", line) : 0;
    int checksum = f.length > 6 ? parseInt(f[6], "checksum", line) : 0;
    String description = f.length > 8 ? f[8].strip() : "";
    return new WfdbSignal(
        f[0],
        format,
        gain,
        baseline != null ? baseline : adcZero,
        units,
        adcRes,
        adcZero,
        initial,
        checksum,
        description);
  }

  private static int parseInt(String s, String what, String line) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new WfdbFormatException("bad " + what + " '" + s + "' in header line '" + line + "'");
    }
  }

  private static double parseDouble(String s, String what, String line) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new WfdbFormatException("bad " + what + " '" + s + "' in header line '" + line + "'");
    }
  }

  /** Header text in WFDB format, as {@link WfdbWriter} stores it. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(recordName)
        .append(' ')
        .append(signals.size())
        .append(' ')
        .append(formatNumber(samplingFrequency))
        .append(' ')
        .append(samplesPerSignal)
        .append('\n');
    for (WfdbSignal s : signals) {
      sb.append(s.fileName())
          .append(' ')
          .append(s.format())
          .append(' ')
          .append(formatNumber(s.gain()))
          .append('(')
          .append(s.baseline())
          .append(")/")
          .append(s.units())
          .append(' ')
          .append(s.adcResolution())
          .append(' ')
          .append(s.adcZero())
          .append(' ')
          .append(s.initialValue())
          .append(' ')
          .append(s.checksum())
          .append(" 0 ")
          .append(s.description())
          .append('\n');
    }
    for (String c : comments) {
      sb.append("# ").append(c).append('\n');
    }
    return sb.toString();
  }

  private static String formatNumber(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
