package org.vitals.gateway.ingest.sensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.ingest.GoldenVectors;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.wire.WireReadingParser;

class Max30102Test {

  @Test
  void fifoGoldenVectors() {
    List<String[]> rows = GoldenVectors.rows("max30102-fifo.tsv");
    assertTrue(rows.size() >= 5);
    for (String[] r : rows) {
      List<Max30102.Sample> s = Max30102.decode(HexFormat.of().parseHex(r[0]), r[1].equals("1"));
      String text = s.stream().map(x -> x.red() + "/" + x.ir()).collect(Collectors.joining(";"));
      assertEquals(r.length > 2 ? r[2] : "", text, r[0]);
    }
  }

  @Test
  void configureWritesTheReferenceSettingsAndChecksThePart() {
    ReplayMax30102 chip = new ReplayMax30102(List.of());
    Max30102 driver = new Max30102(chip);
    driver.configure(Max30102.Config.reference());
    assertEquals(0x4F, chip.register(Max30102.FIFO_CONFIG));
    assertEquals(0x03, chip.register(Max30102.MODE_CONFIG));
    assertEquals(0x27, chip.register(Max30102.SPO2_CONFIG));
    assertEquals(0x24, chip.register(Max30102.LED1_PA));
    assertEquals(0xC0, chip.register(Max30102.INT_ENABLE1));
    assertEquals(25.0, driver.config().sampleRate());
    chip.write(Max30102.PART_ID, 0x11);
    assertThrows(IllegalStateException.class, () -> driver.configure(Max30102.Config.reference()));
  }

  @Test
  void recordedStreamGivesTheCalibratedSpo2AndTheMonitorsPulseRate() {
    ReplayMax30102 chip = new ReplayMax30102(RecordedPpg.stream(0.6));
    Max30102 driver = new Max30102(chip);
    driver.configure(Max30102.Config.reference());
    List<Measurement> out = new ArrayList<>();
    PulseOximeterNode node =
        new PulseOximeterNode(
            driver,
            new Oximetry(Oximetry.Calibration.maxim(), 25),
            new SensorReadings("pi-1", "max30102-1", 7, new WireReadingParser()),
            out::addAll,
            Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC),
            8,
            4);
    while (!chip.exhausted()) {
      chip.arrive(13); // about half a second of samples between polls
      node.poll();
    }
    node.poll();
    assertEquals(0, node.lost());
    // 12 s of samples, 8-s window, a report every 4 s: at 8 s and 12 s.
    assertEquals(4, out.size(), out.toString());
    Measurement spo2 = out.get(0);
    assertEquals(Metric.SPO2, spo2.metric());
    // −45.060·0.36 + 30.354·0.6 + 94.845 = 96.84 → 97
    assertEquals(0, new BigDecimal("97").compareTo(spo2.value()), spo2.toString());
    Measurement pr = out.get(1);
    assertEquals(Metric.PR, pr.metric());
    // The monitor's PULSE over the same seconds is 90.3 /min (BIDMC numerics).
    assertTrue(Math.abs(pr.value().doubleValue() - 90.3) <= 5, pr.toString());
    assertEquals("max30102-1:7:1", spo2.identity());
    assertEquals("max30102-1:7:4", out.get(3).identity());
  }

  @Test
  void overflowIsCountedAndNoiseGivesNoValueWithAReason() {
    ReplayMax30102 chip = new ReplayMax30102(RecordedPpg.stream(0.6));
    Max30102 driver = new Max30102(chip);
    driver.configure(Max30102.Config.reference());
    chip.arrive(40); // not read in time: 8 samples lost
    Max30102.FifoRead r = driver.readFifo();
    assertEquals(32, r.samples().size());
    assertEquals(8, r.lost());

    java.util.Random rnd = new java.util.Random(1);
    List<Max30102.Sample> noise = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      noise.add(new Max30102.Sample(90000 + rnd.nextInt(2000), 120000 + rnd.nextInt(2000)));
    }
    Oximetry.Result res = new Oximetry(Oximetry.Calibration.maxim(), 25).compute(noise);
    assertNull(res.spo2());
    assertNotNull(res.reason());
    Oximetry.Result dark =
        new Oximetry(Oximetry.Calibration.maxim(), 25)
            .compute(
                noise.stream()
                    .map(s -> new Max30102.Sample(s.red() / 1000, s.ir() / 1000))
                    .toList());
    assertTrue(dark.reason().startsWith("no finger"), dark.reason());
  }

  @Test
  void calibrationIsConfigurable() {
    Oximetry linear = new Oximetry(new Oximetry.Calibration(0, -25, 110), 25);
    Oximetry.Result res = linear.compute(RecordedPpg.stream(0.6));
    assertEquals(95.0, res.spo2(), 0.2); // 110 − 25·0.6
  }
}
