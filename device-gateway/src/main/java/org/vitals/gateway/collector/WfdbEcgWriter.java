package org.vitals.gateway.collector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import org.vitals.gateway.measurement.Mdc;
import org.vitals.inference.wfdb.WfdbHeader;
import org.vitals.inference.wfdb.WfdbReader;
import org.vitals.inference.wfdb.WfdbSignal;

/**
 * Writes one device's ECG lead as WFDB records (format 16, one signal, {@code .dat} + {@code .hea})
 * while the chunks come, so the inference module's WFDB reader and PhysioNet's tools read them.
 * Chunks are placed by the node's uptime: a gap (lost lines) is filled with WFDB's invalid sample
 * value so time stays right, an overlap is dropped. A new record begins on rotation, a new boot,
 * other sampling settings, or a gap longer than {@link #MAX_GAP_MS}.
 *
 * <p>The header is written when the record begins (length 0: "read to the end of the file", so a
 * crash leaves a readable record) and again with length and checksum when it closes.
 */
public final class WfdbEcgWriter implements AutoCloseable {
  /** Longest gap filled with invalid samples; a longer one starts a new record. */
  public static final long MAX_GAP_MS = 60_000;

  static final int FORMAT = 16;
  static final int INVALID = WfdbReader.invalidSampleValue(FORMAT);

  private final Manifest manifest;
  private final Rotation rotation;
  private final String gatewayId;
  private final String dev;
  private final int mdc;
  private Settings settings;
  private OutputStream out;
  private String record;
  private MessageDigest sha;
  private long samples;
  private long gapSamples;
  private long droppedSamples;
  private int checksum;
  private int first;
  private long openedMs;
  private long startMs;
  private long nextUp;
  private long firstSeq;
  private long anchorBoot = -1;
  private long anchorUp;
  private long anchorTs;

  /** What must stay the same within one record. */
  record Settings(long boot, BigDecimal periodMs, BigDecimal factor, BigDecimal origin) {
    double frequency() {
      return 1000.0 / periodMs.doubleValue();
    }

    /** WFDB gain: adu per mV (the reading's factor is mV per adu). */
    double gain() {
      return BigDecimal.ONE.divide(factor, MathContext.DECIMAL64).doubleValue();
    }

    /** WFDB baseline: the adu value of 0 mV. */
    int baseline() {
      return origin
          .negate()
          .divide(factor, MathContext.DECIMAL64)
          .setScale(0, java.math.RoundingMode.HALF_EVEN)
          .intValueExact();
    }
  }

  public WfdbEcgWriter(
      Manifest manifest, Rotation rotation, String gatewayId, String dev, int mdc) {
    this.manifest = manifest;
    this.rotation = rotation;
    this.gatewayId = gatewayId;
    this.dev = dev;
    this.mdc = mdc;
  }

  /**
   * Appends one chunk: samples in adu, the first of them measured at device uptime {@code upMs} and
   * wall time {@code tsMs}.
   */
  public synchronized void append(
      Settings s, long seq, long upMs, long tsMs, int[] chunk, long receivedMs) throws IOException {
    if (out != null && !s.equals(settings)) {
      closeRecord();
    }
    double period = s.periodMs().doubleValue();
    if (out != null) {
      long gap = Math.round((upMs - nextUpExact()) / period);
      if (gap > 0 && gap * period <= MAX_GAP_MS) {
        for (long i = 0; i < gap; i++) {
          sample(INVALID);
        }
        gapSamples += gap;
      } else if (gap > 0 || gap < -chunk.length) {
        closeRecord(); // a long gap, or the clock went back: a new record
      } else if (gap < 0) {
        int skip = (int) -gap; // overlap: these samples are in the record already
        droppedSamples += skip;
        chunk = java.util.Arrays.copyOfRange(chunk, skip, chunk.length);
        upMs += Math.round(skip * period);
        tsMs += Math.round(skip * period);
      }
    }
    if (out != null && rotation.due(samples * 2, openedMs, receivedMs)) {
      closeRecord();
    }
    if (out == null) {
      open(s, seq, upMs, tsMs, receivedMs);
    }
    for (int v : chunk) {
      // -32768 is format 16's "no sample" value; a real sample of that value is kept as -32767.
      sample(v == INVALID ? INVALID + 1 : v);
    }
  }

  private long nextUpExact() {
    return nextUp + Math.round(samples * settings.periodMs().doubleValue());
  }

  private void sample(int v) throws IOException {
    out.write(v & 0xFF);
    out.write((v >> 8) & 0xFF);
    sha.update((byte) (v & 0xFF));
    sha.update((byte) ((v >> 8) & 0xFF));
    if (samples == 0) {
      first = v;
    }
    checksum += v;
    samples++;
  }

  private void open(Settings s, long seq, long upMs, long tsMs, long receivedMs)
      throws IOException {
    settings = s;
    record =
        "ecg_"
            + dev.replaceAll("[^A-Za-z0-9]", "_")
            + "_b"
            + s.boot()
            + "_"
            + RecordFile.STAMP.format(Instant.ofEpochMilli(tsMs));
    if (Files.exists(manifest.dir().resolve(record + ".dat"))) {
      record += "_" + seq;
    }
    Files.createDirectories(manifest.dir());
    writeHeader(0);
    out =
        new BufferedOutputStream(
            Files.newOutputStream(manifest.dir().resolve(record + ".dat")), 64 * 1024);
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    samples = 0;
    gapSamples = 0;
    droppedSamples = 0;
    checksum = 0;
    first = 0;
    openedMs = receivedMs;
    // One time base per boot: the first chunk's time stamp and uptime. Later records of the same
    // boot start at anchor + uptime difference, so consecutive records join without overlap even
    // when the serial session's clock offset estimate moves.
    if (anchorBoot != s.boot()) {
      anchorBoot = s.boot();
      anchorUp = upMs;
      anchorTs = tsMs;
    }
    startMs = anchorTs + (upMs - anchorUp);
    nextUp = upMs;
    firstSeq = seq;
  }

  private void writeHeader(long length) throws IOException {
    String lead = Mdc.name(mdc);
    WfdbSignal signal =
        new WfdbSignal(
            record + ".dat",
            FORMAT,
            settings.gain(),
            settings.baseline(),
            "mV",
            16,
            0,
            length == 0 ? 0 : first,
            length == 0 ? 0 : (short) checksum,
            lead == null ? "ECG mdc " + mdc : lead);
    WfdbHeader header =
        new WfdbHeader(
            record,
            settings.frequency(),
            (int) length,
            List.of(signal),
            List.of(
                "vitals-collector device "
                    + dev
                    + " gateway "
                    + gatewayId
                    + " boot "
                    + settings.boot(),
                "start " + Instant.ofEpochMilli(startMs)));
    Files.writeString(
        manifest.dir().resolve(record + ".hea"), header.toText(), StandardCharsets.ISO_8859_1);
  }

  private void closeRecord() throws IOException {
    out.close();
    out = null;
    writeHeader(samples);
    double period = settings.periodMs().doubleValue();
    ObjectNode e = manifest.entry();
    e.put("file", record + ".dat");
    e.put("header", record + ".hea");
    e.put("record", record);
    e.put("stream", "serial-ecg");
    e.put("kind", "wfdb");
    e.put("format", FORMAT);
    e.put("from", Instant.ofEpochMilli(startMs).toString());
    e.put("to", Instant.ofEpochMilli(startMs + Math.round((samples - 1) * period)).toString());
    e.put("startMs", startMs);
    e.put("count", samples);
    e.put("gapSamples", gapSamples);
    e.put("overlapSamplesDropped", droppedSamples);
    e.put("bytes", samples * 2);
    e.put("sha256", Manifest.hex(sha.digest()));
    e.put("headerSha256", sha256(manifest.dir().resolve(record + ".hea")));
    e.put("gatewayId", gatewayId);
    e.put("device", dev);
    e.put("topic", "vitals/v1/" + gatewayId + "/" + dev + "/ecg");
    e.put("boot", settings.boot());
    e.put("firstSeq", firstSeq);
    e.put("mdc", mdc);
    e.put("periodMs", settings.periodMs());
    e.put("factor", settings.factor());
    e.put("origin", settings.origin());
    manifest.add(e);
  }

  /** Closes the record when its age is up, even while no chunk comes (called by a timer). */
  public synchronized void rotateIfDue(long nowMs) throws IOException {
    if (out != null && rotation.due(samples * 2, openedMs, nowMs)) {
      closeRecord();
    }
  }

  public synchronized void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  static String sha256(Path file) throws IOException {
    try {
      return Manifest.hex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      closeRecord();
    }
  }
}
