package org.vitals.gateway.summary;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.writing.Ticket;

/**
 * Where an open minute's readings live until its summary commits: one append-only file per UTC
 * minute under {@code <data dir>/device-gateway/summaries}. A reading's message is acknowledged
 * only after its line is written and forced to disk (a flusher settles the waiting tickets every
 * {@code flushMillis}); the file is deleted once the minute's summaries are committed. After a
 * crash the files rebuild the open minutes (decision 0209). A torn last line is skipped: its
 * message was never acknowledged, so the broker redelivers it.
 */
public class SummaryJournal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SummaryJournal.class);

  /** One journaled reading; {@code stored} when it was also written as its own Observation. */
  public record Line(Measurement m, boolean stored, String topic, String payloadBase64) {
    public byte[] payload() {
      return payloadBase64 == null ? null : Base64.getDecoder().decode(payloadBase64);
    }
  }

  private record Open(BufferedWriter writer, FileChannel channel) {}

  private final Path dir;
  private final Map<Long, Open> open = new HashMap<>();
  private List<Ticket> waiting = new ArrayList<>();
  private boolean dirty;
  private final Thread flusher;
  private volatile boolean running = true;

  public SummaryJournal(Path dir, long flushMillis) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the summary journal " + dir, e);
    }
    flusher =
        new Thread(
            () -> {
              while (running) {
                try {
                  Thread.sleep(flushMillis);
                  flush();
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  log.error(
                      "summary journal flush failed; acknowledgements wait: {}", e.toString());
                }
              }
            },
            "summary-journal-flush");
    flusher.setDaemon(true);
    flusher.start();
  }

  /** Whether the reading's text fields can be journaled (no tabs or line breaks). */
  public static boolean journalable(Measurement m, String topic) {
    for (String s : new String[] {m.identity(), m.gatewayId(), m.deviceId(), topic}) {
      if (s != null && (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0)) {
        return false;
      }
    }
    return m.statuses().stream().noneMatch(s -> s.contains(",") || s.contains("\t"));
  }

  /**
   * Appends a reading to its minute's file; {@code ticket} (may be null) settles one part once the
   * line is on disk. {@code payload} null: not kept (the reading is stored on its own anyway).
   */
  public synchronized void append(
      long minute, Measurement m, boolean stored, String topic, byte[] payload, Ticket ticket) {
    try {
      Open o = open.get(minute);
      if (o == null) {
        Path f = file(minute);
        boolean torn = Files.exists(f) && Files.size(f) > 0 && lastByte(f) != '\n';
        FileOutputStream out = new FileOutputStream(f.toFile(), true);
        o =
            new Open(
                new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16),
                out.getChannel());
        open.put(minute, o);
        if (torn) {
          o.writer().write('\n'); // end a line torn by a crash, so the next one stands alone
        }
      }
      BufferedWriter w = o.writer();
      w.write(m.identity());
      w.write('\t');
      w.write(String.valueOf(m.gatewayId()));
      w.write('\t');
      w.write(m.deviceId());
      w.write('\t');
      w.write(m.metric().wireName());
      w.write('\t');
      w.write(Integer.toString(m.mdc()));
      w.write('\t');
      w.write(Long.toString(m.time().toEpochMilli()));
      w.write('\t');
      w.write(m.timeQuality() == null ? "NONE" : m.timeQuality().name());
      w.write('\t');
      w.write(m.value().toPlainString());
      w.write('\t');
      w.write(String.join(",", m.statuses()));
      w.write('\t');
      w.write(stored ? '1' : '0');
      w.write('\t');
      w.write(topic == null ? "-" : topic);
      w.write('\t');
      w.write(payload == null ? "-" : Base64.getEncoder().encodeToString(payload));
      w.write('\n');
      dirty = true;
      if (ticket != null) {
        waiting.add(ticket);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("summary journal write failed", e);
    }
  }

  /** Writes and forces everything appended so far, then settles the waiting tickets. */
  public void flush() {
    List<Ticket> settle;
    List<FileChannel> channels = new ArrayList<>();
    synchronized (this) {
      if (!dirty && waiting.isEmpty()) {
        return;
      }
      try {
        for (Open o : open.values()) {
          o.writer().flush();
          channels.add(o.channel());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("summary journal flush failed", e);
      }
      dirty = false;
      settle = waiting;
      waiting = new ArrayList<>();
    }
    // Forced outside the lock, so appends go on meanwhile; a channel closed meanwhile belongs to
    // a minute whose summaries are committed.
    for (FileChannel ch : channels) {
      try {
        ch.force(false);
      } catch (java.nio.channels.ClosedChannelException closed) {
        // deleted after commit
      } catch (IOException e) {
        synchronized (this) {
          waiting.addAll(settle);
        }
        throw new UncheckedIOException("summary journal force failed", e);
      }
    }
    settle.forEach(Ticket::settle);
  }

  /** Closes and deletes a minute's file (its summaries are committed). */
  public synchronized void delete(long minute) {
    Open o = open.remove(minute);
    try {
      if (o != null) {
        o.writer().close();
      }
      Files.deleteIfExists(file(minute));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete summary journal of minute " + minute, e);
    }
  }

  /** The readings of one minute's file, torn lines skipped. */
  public synchronized List<Line> read(long minute) {
    Open o = open.get(minute);
    try {
      if (o != null) {
        o.writer().flush();
      }
      Path f = file(minute);
      if (!Files.exists(f)) {
        return List.of();
      }
      List<Line> lines = new ArrayList<>();
      for (String text : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        Line l = parse(text);
        if (l != null) {
          lines.add(l);
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read summary journal of minute " + minute, e);
    }
  }

  /** The minutes that have a file (open before a restart), oldest first. */
  public synchronized Map<Long, List<Line>> recover() {
    Map<Long, List<Line>> minutes = new TreeMap<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith("minute-") && name.endsWith(".log")) {
          long minute = Long.parseLong(name.substring(7, name.length() - 4));
          minutes.put(minute, read(minute));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the summary journal " + dir, e);
    }
    return minutes;
  }

  private static int lastByte(Path f) throws IOException {
    try (var ch = FileChannel.open(f)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, ch.size() - 1);
      return b.get(0);
    }
  }

  private Path file(long minute) {
    return dir.resolve("minute-" + minute + ".log");
  }

  static Line parse(String text) {
    String[] f = text.split("\t", -1);
    if (f.length != 12) {
      return null;
    }
    try {
      Metric metric = Metric.fromWire(f[3]).orElse(null);
      if (metric == null) {
        return null;
      }
      Measurement m =
          new Measurement(
              f[0],
              f[1].equals("null") ? null : f[1],
              f[2],
              metric,
              Integer.parseInt(f[4]),
              Instant.ofEpochMilli(Long.parseLong(f[5])),
              Measurement.TimeQuality.valueOf(f[6]),
              null,
              new BigDecimal(f[7]),
              Map.of(),
              null,
              f[8].isEmpty() ? List.of() : List.of(f[8].split(",")),
              null);
      return new Line(
          m, f[9].equals("1"), f[10].equals("-") ? null : f[10], f[11].equals("-") ? null : f[11]);
    } catch (RuntimeException e) {
      return null; // torn or foreign line
    }
  }

  @Override
  public void close() {
    running = false;
    flusher.interrupt();
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("summary journal: last flush failed: {}", e.toString());
    }
    synchronized (this) {
      for (Open o : open.values()) {
        try {
          o.writer().close();
        } catch (IOException e) {
          log.warn("summary journal: close failed: {}", e.toString());
        }
      }
      open.clear();
    }
  }
}
