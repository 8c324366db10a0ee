package org.vitals.gateway.ingest.sensors;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.vitals.gateway.measurement.Measurement;

/**
 * An AD8232 ECG front end digitised by an ADS1115: {@link #sample()} is called once per sample
 * period by a timer; every {@code chunkSamples} samples become one ECG chunk reading (lead II by
 * default) whose time is the first sample's, stamped by index × period from the start so chunks are
 * contiguous whatever the timer's jitter (shared reference §10.2: Java on Linux is not a hard
 * real-time sampler). While the leads are off (AD8232 LO+/LO− high) the chunk is not sent and the
 * next one starts fresh.
 */
public class EcgFrontEndNode {
  private final Ads1115 adc;
  private final SensorReadings readings;
  private final Consumer<List<Measurement>> out;
  private final BooleanSupplier leadsOff;
  private final int lead;
  private final BigDecimal periodMs;
  private final BigDecimal factor;
  private final int[] chunk;
  private final Instant start;
  private long index;
  private int filled;
  private boolean chunkValid = true;

  public EcgFrontEndNode(
      Ads1115 adc,
      SensorReadings readings,
      Consumer<List<Measurement>> out,
      BooleanSupplier leadsOff,
      int lead,
      double sampleRate,
      double frontEndGain,
      int chunkSamples,
      Instant start) {
    this.adc = adc;
    this.readings = readings;
    this.out = out;
    this.leadsOff = leadsOff;
    this.lead = lead;
    this.periodMs = BigDecimal.valueOf(1000.0 / sampleRate).round(new MathContext(6));
    this.factor =
        BigDecimal.valueOf(Ads1115.millivoltPerCount(frontEndGain)).round(new MathContext(6));
    this.chunk = new int[chunkSamples];
    this.start = start;
  }

  /** Takes one conversion; returns the readings emitted (empty until a chunk is full). */
  public List<Measurement> sample() {
    int counts = adc.read();
    if (leadsOff.getAsBoolean()) {
      chunkValid = false;
    }
    chunk[filled++] = counts;
    index++;
    if (filled < chunk.length) {
      return List.of();
    }
    long firstIndex = index - chunk.length;
    Instant first =
        start.plusNanos(periodMs.multiply(BigDecimal.valueOf(firstIndex * 1_000_000L)).longValue());
    boolean send = chunkValid;
    filled = 0;
    chunkValid = true;
    if (!send) {
      return List.of();
    }
    List<Measurement> ms = readings.ecg(lead, periodMs, factor, chunk.clone(), first);
    out.accept(ms);
    return ms;
  }
}
