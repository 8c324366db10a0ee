package org.vitals.gateway.ingest.sensors;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.vitals.gateway.measurement.Measurement;

/**
 * A MAX30102 on the gateway's I²C bus: {@link #poll()} drains the FIFO into a sliding window
 * (default 8 s) and, every {@code reportEvery} samples, computes SpO2 and pulse rate and emits the
 * two readings (a value the quality gates reject becomes {@code null} with status {@code
 * questionable}).
 */
public class PulseOximeterNode {
  private final Max30102 sensor;
  private final Oximetry oximetry;
  private final SensorReadings readings;
  private final Consumer<List<Measurement>> out;
  private final Clock clock;
  private final int windowSamples;
  private final int reportEvery;
  private final Deque<Max30102.Sample> window = new ArrayDeque<>();
  private int sinceReport;
  private long lost;

  public PulseOximeterNode(
      Max30102 sensor,
      Oximetry oximetry,
      SensorReadings readings,
      Consumer<List<Measurement>> out,
      Clock clock,
      double windowSeconds,
      double reportSeconds) {
    this.sensor = sensor;
    this.oximetry = oximetry;
    this.readings = readings;
    this.out = out;
    this.clock = clock;
    double fs = sensor.config().sampleRate();
    this.windowSamples = (int) Math.round(fs * windowSeconds);
    this.reportEvery = (int) Math.round(fs * reportSeconds);
  }

  /** Samples the chip dropped because it was not read in time. */
  public long lost() {
    return lost;
  }

  /** Reads the FIFO once; returns the number of samples read. */
  public int poll() {
    Max30102.FifoRead r = sensor.readFifo();
    lost += r.lost();
    for (Max30102.Sample s : r.samples()) {
      window.addLast(s);
      if (window.size() > windowSamples) {
        window.removeFirst();
      }
      if (++sinceReport >= reportEvery && window.size() == windowSamples) {
        sinceReport = 0;
        report();
      }
    }
    return r.samples().size();
  }

  private void report() {
    Oximetry.Result res = oximetry.compute(new ArrayList<>(window));
    Instant now = clock.instant();
    List<Measurement> ms = new ArrayList<>();
    ms.addAll(
        readings.numeric(
            "spo2", "%", res.spo2(), 0, res.spo2() == null ? "questionable" : "valid", now));
    ms.addAll(
        readings.numeric(
            "pr",
            "/min",
            res.pulseRate(),
            0,
            res.pulseRate() == null ? "questionable" : "valid",
            now));
    out.accept(ms);
  }
}
