package org.vitals.gateway.ecg;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Waveform;
import org.vitals.gateway.writing.PendingMeasurement;
import org.vitals.gateway.writing.Ticket;

/**
 * Joins ECG chunks of one device and boot into immutable strips of a fixed length (default 10 s).
 * Chunks belong to the strip window that holds their first sample; a strip is emitted when its
 * window is covered, when a chunk of a later window arrives, or {@code grace} after the window
 * should have ended (arrival time). The strip's identity is the sequence range of its chunks, so
 * the same chunks always give the same identity.
 */
public class StripAssembler {
  private final long stripMillis;
  private final long graceNanos;
  private final Consumer<PendingMeasurement> out;
  private final Map<String, Open> open = new HashMap<>();

  private record Chunk(Measurement m, long seq, Ticket ticket) {}

  private static final class Open {
    final long window;
    final long openedNanos;
    final List<Chunk> chunks = new ArrayList<>();

    Open(long window, long openedNanos) {
      this.window = window;
      this.openedNanos = openedNanos;
    }
  }

  public StripAssembler(int stripSeconds, long graceMillis, Consumer<PendingMeasurement> out) {
    this.stripMillis = stripSeconds * 1000L;
    this.graceNanos = (stripMillis + graceMillis) * 1_000_000L;
    this.out = out;
  }

  public synchronized void add(Measurement chunk, Ticket ticket) {
    String[] id = chunk.identity().split(":");
    long seq = Long.parseLong(id[id.length - 1]);
    String boot = id[id.length - 2];
    Waveform w = chunk.waveform();
    String key =
        chunk.deviceId()
            + "|"
            + boot
            + "|"
            + w.periodMillis().toPlainString()
            + "|"
            + w.origin().toPlainString()
            + "|"
            + w.factor().toPlainString()
            + "|"
            + w.leads().stream().map(l -> String.valueOf(l.mdc())).collect(Collectors.joining(","));
    long window = Math.floorDiv(chunk.time().toEpochMilli(), stripMillis);
    Open strip = open.get(key);
    if (strip != null && strip.window != window) {
      emit(open.remove(key));
      strip = null;
    }
    if (strip == null) {
      strip = new Open(window, System.nanoTime());
      open.put(key, strip);
    }
    if (strip.chunks.stream().anyMatch(c -> c.seq == seq)) {
      strip.chunks.add(new Chunk(null, seq, ticket)); // duplicate delivery: settles with the strip
    } else {
      strip.chunks.add(new Chunk(chunk, seq, ticket));
    }
    // Covered: the distinct chunks hold a whole window of samples (arrival order does not matter).
    long coveredMicros =
        strip.chunks.stream()
            .filter(c -> c.m != null)
            .mapToLong(
                c ->
                    c.m
                        .waveform()
                        .periodMillis()
                        .multiply(
                            java.math.BigDecimal.valueOf(c.m.waveform().sampleCount() * 1000L))
                        .longValue())
            .sum();
    if (coveredMicros >= stripMillis * 1000L) {
      emit(open.remove(key));
    }
  }

  /** Emits strips whose window has passed (called periodically). */
  public synchronized void flushExpired() {
    long now = System.nanoTime();
    for (Iterator<Open> it = open.values().iterator(); it.hasNext(); ) {
      Open s = it.next();
      if (now - s.openedNanos > graceNanos) {
        it.remove();
        emit(s);
      }
    }
  }

  public synchronized int openStrips() {
    return open.size();
  }

  /** ECG chunks waiting in open strips. */
  public synchronized int pendingChunks() {
    return open.values().stream().mapToInt(o -> o.chunks.size()).sum();
  }

  private void emit(Open s) {
    List<Chunk> real =
        s.chunks.stream()
            .filter(c -> c.m != null)
            .sorted(Comparator.comparingLong(Chunk::seq))
            .toList();
    Measurement first = real.get(0).m;
    Waveform w0 = first.waveform();
    int leads = w0.leads().size();
    List<Waveform.Lead> joined = new ArrayList<>();
    for (int l = 0; l < leads; l++) {
      int total = real.stream().mapToInt(c -> c.m.waveform().sampleCount()).sum();
      int[] samples = new int[total];
      int pos = 0;
      for (Chunk c : real) {
        int[] part = c.m.waveform().leads().get(l).samples();
        System.arraycopy(part, 0, samples, pos, part.length);
        pos += part.length;
      }
      joined.add(new Waveform.Lead(w0.leads().get(l).mdc(), samples));
    }
    Waveform w =
        new Waveform(
            w0.periodMillis(),
            w0.origin(),
            w0.factor(),
            w0.lowerLimit(),
            w0.upperLimit(),
            List.copyOf(joined));
    long micros =
        w.periodMillis()
            .multiply(BigDecimal.valueOf(w.sampleCount() * 1000L))
            .setScale(0, RoundingMode.HALF_UP)
            .longValue();
    String[] id = first.identity().split(":");
    String identity =
        first.deviceId()
            + ":"
            + id[id.length - 2]
            + ":ecg:"
            + real.get(0).seq
            + "-"
            + real.get(real.size() - 1).seq;
    Measurement strip =
        new Measurement(
            identity,
            first.gatewayId(),
            first.deviceId(),
            first.metric(),
            first.mdc(),
            first.time(),
            first.timeQuality(),
            first.time().plusNanos(micros * 1000),
            null,
            Map.of(),
            null,
            first.statuses(),
            w);
    List<Ticket> tickets = s.chunks.stream().map(Chunk::ticket).toList();
    out.accept(new PendingMeasurement(strip, tickets, System.nanoTime()));
  }

  /** Visible for tests: window start of an instant. */
  long windowOf(Instant t) {
    return Math.floorDiv(t.toEpochMilli(), stripMillis);
  }
}
