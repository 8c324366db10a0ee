package org.vitals.gateway.ingest.sensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.wire.WireReadingParser;

/** The ADS1115 ECG path on a recorded BIDMC lead II stream replayed through its registers. */
class EcgFrontEndNodeTest {

  /** ADS1115 register model: CONFIG keeps what was written, CONVERSION replays counts. */
  static final class ReplayAds1115 implements RegisterDevice {
    final List<Integer> config = new ArrayList<>();
    final int[] counts;
    int next;

    ReplayAds1115(int[] counts) {
      this.counts = counts;
    }

    @Override
    public int read(int register) {
      throw new UnsupportedOperationException("16-bit registers are read in 2-byte bursts");
    }

    @Override
    public void write(int register, int value) {
      throw new UnsupportedOperationException("16-bit registers are written in 2-byte bursts");
    }

    @Override
    public void write(int register, byte[] data) {
      assertEquals(Ads1115.CONFIG, register);
      for (byte b : data) {
        config.add(b & 0xFF);
      }
    }

    @Override
    public void read(int register, byte[] buffer, int offset, int length) {
      assertEquals(Ads1115.CONVERSION, register);
      int v = counts[next++];
      buffer[offset] = (byte) (v >> 8);
      buffer[offset + 1] = (byte) v;
    }
  }

  @Test
  void recordedLeadIiBecomesContiguousChunksInMillivolts() {
    // BIDMC lead II (normalised units 0..1) as ADS1115 counts around mid-scale.
    List<Double> ecg = RecordedPpg.recorded("ecg_ii_125hz");
    int[] counts = ecg.stream().mapToInt(v -> (int) Math.round((v - 0.5) * 8000)).toArray();
    ReplayAds1115 reg = new ReplayAds1115(counts);
    Ads1115 adc = new Ads1115(reg);
    adc.configure();
    assertEquals(List.of(0x42, 0xE0), reg.config);
    AtomicBoolean off = new AtomicBoolean(false);
    List<Measurement> out = new ArrayList<>();
    Instant t0 = Instant.parse("2026-11-27T06:00:00Z");
    EcgFrontEndNode node =
        new EcgFrontEndNode(
            adc,
            new SensorReadings("pi-1", "ecg-1", 3, new WireReadingParser()),
            out::addAll,
            off::get,
            131330,
            125,
            1100,
            125,
            t0);
    for (int i = 0; i < 250; i++) {
      node.sample();
    }
    off.set(true); // a lead comes off during the third second
    for (int i = 0; i < 125; i++) {
      node.sample();
    }
    off.set(false);
    for (int i = 0; i < 125; i++) {
      node.sample();
    }
    assertEquals(3, out.size(), "the chunk with leads off is not sent");
    Measurement c1 = out.get(0);
    Measurement c2 = out.get(1);
    assertEquals(Metric.ECG, c1.metric());
    assertEquals(t0, c1.time());
    assertEquals(c1.end(), c2.time(), "contiguous");
    assertEquals(t0.plusSeconds(3), out.get(2).time());
    assertEquals(0, new BigDecimal("8").compareTo(c1.waveform().periodMillis()));
    assertEquals(0, new BigDecimal("0.000113636").compareTo(c1.waveform().factor()));
    int[] expected = new int[125];
    System.arraycopy(counts, 125, expected, 0, 125);
    assertArrayEquals(expected, c2.waveform().leads().get(0).samples());
    assertTrue(c1.waveform().leads().get(0).samples().length == 125);
    assertEquals("ecg-1:3:1", c1.identity());
  }
}
