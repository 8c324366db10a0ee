package org.vitals.inference.glucose;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared data folder for the *IT evaluations; fails loudly when it is missing. */
final class SharedGlucoseData {

  private SharedGlucoseData() {}

  static Path dir() {
    String p = System.getProperty("vitals.data.dir");
    if (p == null || p.isBlank()) {
      p = System.getenv("VITALS_SHARED_DATA");
    }
    Path dir = Path.of(p == null || p.isBlank() ? "../../shared/data" : p);
    Path check = dir.resolve("cgm").resolve("weinstock2016_train.csv");
    if (!Files.isRegularFile(check)) {
      throw new IllegalStateException(
          "shared data not found: "
              + check.toAbsolutePath()
              + " is missing. Set -Dvitals.data.dir or VITALS_SHARED_DATA to the folder that"
              + " holds cgm/ and simglucose/ (see /work/shared/data/README.md).");
    }
    return dir;
  }
}
