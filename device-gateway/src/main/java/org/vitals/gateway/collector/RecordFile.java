package org.vitals.gateway.collector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One stream's output as a series of files that rotate by size and/or age: records are appended as
 * given, the SHA-256 is computed while writing, and each closed file becomes a manifest entry. A
 * file is only begun when a record comes, so idle streams leave no empty files.
 */
public final class RecordFile implements AutoCloseable {
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Manifest manifest;
  private final String stream;
  private final String kind;
  private final String extension;
  private final Rotation rotation;
  private final ObjectNode extra;
  private int index;
  private OutputStream out;
  private Path path;
  private MessageDigest sha;
  private long bytes;
  private long count;
  private long openedMs;
  private long firstMs;
  private long lastMs;

  /**
   * @param stream the stream's name, also the file name prefix ({@code mqtt}, {@code serial},
   *     {@code hl7})
   * @param kind the manifest's {@code kind} of these files ({@code ndjson}, {@code hl7-mllp})
   * @param extra fields copied into every manifest entry (for example the port)
   */
  public RecordFile(
      Manifest manifest,
      String stream,
      String kind,
      String extension,
      Rotation rotation,
      ObjectNode extra) {
    this.manifest = manifest;
    this.stream = stream;
    this.kind = kind;
    this.extension = extension;
    this.rotation = rotation;
    this.extra = extra;
  }

  /**
   * Appends one record received at {@code atMs}; with {@code flush} it is in the file on return.
   */
  public synchronized void write(byte[] record, long atMs, boolean flush) throws IOException {
    if (out != null && rotation.due(bytes, openedMs, atMs)) {
      closeFile();
    }
    if (out == null) {
      open(atMs);
    }
    out.write(record);
    sha.update(record);
    bytes += record.length;
    count++;
    if (count == 1) {
      firstMs = atMs;
    }
    lastMs = atMs;
    if (flush) {
      out.flush();
    }
  }

  /** Closes the current file when its age is up, even if no record comes (called by a timer). */
  public synchronized void rotateIfDue(long nowMs) throws IOException {
    if (out != null && rotation.due(bytes, openedMs, nowMs)) {
      closeFile();
    }
  }

  public synchronized void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  private void open(long atMs) throws IOException {
    index++;
    String name =
        String.format(
            java.util.Locale.ROOT,
            "%s-%s-%04d.%s",
            stream,
            STAMP.format(Instant.ofEpochMilli(atMs)),
            index,
            extension);
    Files.createDirectories(manifest.dir());
    path = manifest.dir().resolve(name);
    out = new BufferedOutputStream(Files.newOutputStream(path), 64 * 1024);
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    bytes = 0;
    count = 0;
    openedMs = atMs;
  }

  private void closeFile() throws IOException {
    out.close();
    out = null;
    ObjectNode e = manifest.entry();
    e.put("file", path.getFileName().toString());
    e.put("stream", stream);
    e.put("kind", kind);
    e.put("from", Instant.ofEpochMilli(firstMs).toString());
    e.put("to", Instant.ofEpochMilli(lastMs).toString());
    e.put("count", count);
    e.put("bytes", bytes);
    e.put("sha256", Manifest.hex(sha.digest()));
    if (extra != null) {
      e.setAll(extra);
    }
    manifest.add(e);
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      closeFile();
    }
  }
}
