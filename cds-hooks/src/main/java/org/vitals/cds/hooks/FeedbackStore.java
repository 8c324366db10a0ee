package org.vitals.cds.hooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores CDS feedback durably as JSON Lines ({@code feedback.jsonl} in the data directory), one
 * line per feedback item, with the service, the client (JWT issuer) and what the card was about.
 * Append-only, so nothing is lost on restart and it is easy to analyse (acceptance and override
 * rates per card topic).
 */
public final class FeedbackStore {

  private final Path file;
  private final ObjectMapper json = new ObjectMapper();

  public FeedbackStore(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
    }
    this.file = dataDir.resolve("feedback.jsonl");
  }

  /** Appends the items; all or nothing is written in one write. */
  public synchronized void append(List<ObjectNode> items) {
    StringBuilder s = new StringBuilder();
    for (ObjectNode item : items) {
      s.append(item.toString()).append('\n');
    }
    try {
      Files.writeString(
          file,
          s.toString(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store feedback in " + file, e);
    }
  }

  /** Every stored item, oldest first. */
  public synchronized List<ObjectNode> all() {
    List<ObjectNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add((ObjectNode) json.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  /** Where feedback lives. */
  public Path file() {
    return file;
  }
}
