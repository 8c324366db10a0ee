package org.vitals.gateway.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * {@code manifest.json} of a recording: what was recorded, and one entry per closed file (stream,
 * time range, count, bytes, SHA-256). Rewritten atomically after every closed file, so a recording
 * cut short by a crash still lists every finished file; {@code complete} turns true on a clean
 * shutdown.
 */
public final class Manifest {
  public static final String FILE = "manifest.json";
  public static final String FORMAT = "vitals-collector-manifest/1";

  private final Path dir;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final ObjectNode root = json.createObjectNode();
  private final ArrayNode files;

  public Manifest(Path dir, Instant started, ObjectNode sources) {
    this.dir = dir;
    root.put("format", FORMAT);
    root.put("started", started.toString());
    root.putNull("ended");
    root.put("complete", false);
    root.set("sources", sources);
    files = root.putArray("files");
  }

  public Path dir() {
    return dir;
  }

  /** The sources object (what is recorded), for details known only after the start. */
  public ObjectNode sources() {
    return (ObjectNode) root.get("sources");
  }

  /** A new entry object for a closed file; {@link #add} it when filled in. */
  public ObjectNode entry() {
    return json.createObjectNode();
  }

  public synchronized void add(ObjectNode entry) {
    files.add(entry);
    write();
  }

  /** Marks the recording finished and writes the manifest for the last time. */
  public synchronized void finish(Instant ended) {
    root.put("ended", ended.toString());
    root.put("complete", true);
    write();
  }

  public synchronized void write() {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(FILE + ".tmp");
      json.writeValue(tmp.toFile(), root);
      Files.move(
          tmp,
          dir.resolve(FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
    }
  }

  /** Lower-case hex of a digest. */
  static String hex(byte[] digest) {
    StringBuilder sb = new StringBuilder(digest.length * 2);
    for (byte b : digest) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }
}
