package org.vitals.cds.ecg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.SampledData;
import org.vitals.cds.clinical.Codes;

/**
 * One ECG strip Observation (MDC 131328, docs/wire-format.md) decoded for annotation: lead II
 * preferred, samples in millivolts as {@code origin + factor x data}. Unlike the card's reader it
 * says why a strip cannot be used, and it keeps where the data had no value ({@code E}, {@code L},
 * {@code U}) so that no beat there is classified.
 *
 * @param id the strip's logical id
 * @param start time of the first sample
 * @param periodMillis milliseconds between samples
 * @param millivolts the samples (a no-value sample holds the previous value, so filters see no
 *     step)
 * @param noValue runs {@code [from, to)} of samples without a value
 * @param device the recording device's reference, or null
 */
public record StripSignal(
    String id,
    Instant start,
    double periodMillis,
    double[] millivolts,
    List<int[]> noValue,
    String device) {

  /** The strip's code, MDC_ECG_ELEC_POTL. */
  public static final String MDC_ECG_ELEC_POTL = "131328";

  static final String LEAD_II = "131330";

  /** A strip, or why it cannot be analysed. */
  public record Decoded(StripSignal strip, String problem) {
    public boolean ok() {
      return strip != null;
    }
  }

  /** Sampling rate in Hz. */
  public double samplingRate() {
    return 1000.0 / periodMillis;
  }

  /** Time just after the last sample. */
  public Instant end() {
    return start.plusNanos(Math.round(millivolts.length * periodMillis * 1_000_000));
  }

  /** Number of samples without a value. */
  public int noValueCount() {
    return noValue.stream().mapToInt(r -> r[1] - r[0]).sum();
  }

  /** True when the Observation is an ECG strip (MDC 131328). */
  public static boolean isStrip(Observation o) {
    return o.getCode().hasCoding(Codes.MDC, MDC_ECG_ELEC_POTL);
  }

  /** Status the gateway never writes and that no one should annotate. */
  public static boolean withdrawn(Observation o) {
    return o.hasStatus()
        && (o.getStatus() == Observation.ObservationStatus.ENTEREDINERROR
            || o.getStatus() == Observation.ObservationStatus.CANCELLED);
  }

  /** Decodes a strip, or says what is wrong with it. */
  public static Decoded decode(Observation o) {
    String id = o.getIdElement().getIdPart();
    SampledData sd = null;
    if (o.hasValueSampledData()) {
      sd = o.getValueSampledData();
    }
    for (ObservationComponentComponent c : o.getComponent()) {
      if (c.hasValueSampledData() && (sd == null || c.getCode().hasCoding(Codes.MDC, LEAD_II))) {
        sd = c.getValueSampledData();
      }
    }
    Optional<Instant> start = start(o);
    if (sd == null) {
      return problem("the strip has no SampledData");
    }
    if (start.isEmpty()) {
      return problem("the strip has no effective time");
    }
    if (!sd.hasPeriod() || !(sd.getPeriod().doubleValue() > 0)) {
      return problem("the strip's SampledData has no positive period");
    }
    if (!sd.hasData() || sd.getData().isBlank()) {
      return problem("the strip's SampledData has no data");
    }
    double origin =
        sd.hasOrigin() && sd.getOrigin().hasValue() ? sd.getOrigin().getValue().doubleValue() : 0;
    double factor = sd.hasFactor() ? sd.getFactor().doubleValue() : 1;
    double scale = sd.hasOrigin() && "uV".equals(sd.getOrigin().getCode()) ? 0.001 : 1;
    if (sd.hasOrigin()
        && sd.getOrigin().hasCode()
        && scale == 1
        && !"mV".equals(sd.getOrigin().getCode())) {
      return problem("the strip's unit is " + sd.getOrigin().getCode() + ", not mV or uV");
    }
    int dims = sd.hasDimensions() ? Math.max(1, sd.getDimensions()) : 1;
    String[] tokens = sd.getData().trim().split("\\s+");
    double[] mv = new double[tokens.length / dims];
    List<int[]> gaps = new ArrayList<>();
    double previous = Double.NaN;
    int gapFrom = -1;
    for (int i = 0; i < mv.length; i++) {
      double v;
      try {
        v = scale * (origin + factor * Double.parseDouble(tokens[i * dims]));
      } catch (NumberFormatException e) {
        v = Double.NaN; // E, L, U: no value here
      }
      if (Double.isFinite(v)) {
        if (gapFrom >= 0) {
          gaps.add(new int[] {gapFrom, i});
          gapFrom = -1;
        }
        previous = v;
        mv[i] = v;
      } else {
        gapFrom = gapFrom < 0 ? i : gapFrom;
        mv[i] = previous;
      }
    }
    if (gapFrom >= 0) {
      gaps.add(new int[] {gapFrom, mv.length});
    }
    // Leading no-value samples take the first value that follows.
    if (!gaps.isEmpty() && gaps.get(0)[0] == 0) {
      int to = gaps.get(0)[1];
      if (to >= mv.length) {
        return problem("no sample of the strip has a value");
      }
      for (int i = 0; i < to; i++) {
        mv[i] = mv[to];
      }
    }
    String device = o.hasDevice() ? o.getDevice().getReference() : null;
    return new Decoded(
        new StripSignal(
            id, start.get(), sd.getPeriod().doubleValue(), mv, List.copyOf(gaps), device),
        null);
  }

  private static Decoded problem(String why) {
    return new Decoded(null, why);
  }

  static Optional<Instant> start(Observation o) {
    if (o.hasEffectivePeriod() && o.getEffectivePeriod().hasStart()) {
      return Optional.of(o.getEffectivePeriod().getStart().toInstant());
    }
    if (o.hasEffectiveDateTimeType() && o.getEffectiveDateTimeType().getValue() != null) {
      return Optional.of(o.getEffectiveDateTimeType().getValue().toInstant());
    }
    if (o.hasEffectiveInstantType() && o.getEffectiveInstantType().getValue() != null) {
      return Optional.of(o.getEffectiveInstantType().getValue().toInstant());
    }
    return Optional.empty();
  }
}
