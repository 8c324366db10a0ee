package org.vitals.gateway.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the firmware's golden vectors (firmware/test-vectors), shared by encoder and decoder. */
public final class GoldenVectors {
  public static final Path DIR = Path.of("../firmware/test-vectors");

  private GoldenVectors() {}

  /** The data rows of a TSV file (comment lines dropped), each split on TAB keeping empties. */
  public static List<String[]> rows(String file) {
    Path p = DIR.resolve(file);
    if (!Files.exists(p)) {
      throw new IllegalStateException(
          p.toAbsolutePath() + " is missing: the firmware golden vectors are part of the checkout");
    }
    try {
      return Files.readAllLines(p).stream()
          .filter(l -> !l.startsWith("#"))
          .map(l -> l.split("\t", -1))
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String text(String file) {
    try {
      return Files.readString(DIR.resolve(file));
    } catch (IOException e) {
      throw new IllegalStateException(DIR.resolve(file).toAbsolutePath() + " unreadable", e);
    }
  }
}
