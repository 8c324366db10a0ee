package org.vitals.gateway.ecg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vitals.gateway.TestReadings.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.wire.WireReadingParser;
import org.vitals.gateway.writing.PendingMeasurement;
import org.vitals.gateway.writing.Ticket;

class StripAssemblerTest {
  private final WireReadingParser parser = new WireReadingParser();
  private final List<PendingMeasurement> out = new ArrayList<>();
  private final AtomicInteger settled = new AtomicInteger();

  private Measurement chunk(long seq, long ts) {
    return parser.parse(topic("ecg-1", "ecg"), ecg("ecg-1", seq, ts, 250), Instant.now()).get(0);
  }

  private Ticket ticket() {
    return new Ticket("test", "t", new byte[0], Instant.now(), settled::incrementAndGet);
  }

  @Test
  void tenOneSecondChunksMakeOneTenSecondStrip() {
    StripAssembler a = new StripAssembler(10, 2000, out::add);
    long t0 = 1_732_680_000_000L; // a multiple of 10 s
    for (int i = 0; i < 10; i++) {
      a.add(chunk(100 + i, t0 + i * 1000L), ticket());
    }
    assertThat(out).hasSize(1);
    Measurement strip = out.get(0).measurement();
    assertThat(strip.identity()).isEqualTo("ecg-1:1:ecg:100-109");
    assertThat(strip.waveform().sampleCount()).isEqualTo(2500);
    assertThat(strip.end().toEpochMilli() - strip.time().toEpochMilli()).isEqualTo(10_000);
    out.get(0).settle();
    assertThat(settled.get()).isEqualTo(10);
  }

  @Test
  void aChunkOfTheNextWindowClosesTheOpenStripAndDuplicatesSettleWithIt() {
    StripAssembler a = new StripAssembler(10, 2000, out::add);
    long t0 = 1_732_680_000_000L;
    a.add(chunk(1, t0), ticket());
    a.add(chunk(2, t0 + 1000), ticket());
    a.add(chunk(2, t0 + 1000), ticket()); // redelivered
    a.add(chunk(12, t0 + 10_000), ticket());
    assertThat(out).hasSize(1);
    assertThat(out.get(0).measurement().identity()).isEqualTo("ecg-1:1:ecg:1-2");
    assertThat(out.get(0).measurement().waveform().sampleCount()).isEqualTo(500);
    out.get(0).settle();
    assertThat(settled.get()).isEqualTo(3);
    assertThat(a.openStrips()).isEqualTo(1);
  }

  @Test
  void theSameChunksAlwaysGiveTheSameStripIdentity() {
    StripAssembler a = new StripAssembler(10, 2000, out::add);
    StripAssembler b = new StripAssembler(10, 2000, out::add);
    long t0 = 1_732_680_000_000L;
    for (int i = 9; i >= 0; i--) {
      b.add(chunk(100 + i, t0 + i * 1000L), ticket()); // out of order
    }
    for (int i = 0; i < 10; i++) {
      a.add(chunk(100 + i, t0 + i * 1000L), ticket());
    }
    assertThat(out).hasSize(2);
    assertThat(out.get(0).measurement().identity()).isEqualTo(out.get(1).measurement().identity());
    assertThat(out.get(0).measurement().waveform().leads().get(0).samples())
        .isEqualTo(out.get(1).measurement().waveform().leads().get(0).samples());
  }
}
