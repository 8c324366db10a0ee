package org.vitals.inference.ecg;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the ECG tests find their data: the committed fixture and the shared MIT-BIH DS1. */
public final class EcgTestData {
  private EcgTestData() {}

  /** The committed fixture folder (records 208a and 201a). */
  public static Path fixture() {
    try {
      return Path.of(EcgTestData.class.getResource("/mitdb-fixture/RECORDS").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The shared MIT-BIH DS1 folder; fails with a clear message when it is not there. */
  public static Path sharedMitdb() {
    String p = System.getenv("VITALS_SHARED_DATA");
    if (p == null || p.isBlank()) {
      p = System.getProperty("vitals.data.dir");
    }
    Path dir = Path.of(p == null || p.isBlank() ? "../../shared/data" : p).resolve("mitdb");
    if (!Files.isRegularFile(dir.resolve("101.hea"))) {
      throw new IllegalStateException(
          "MIT-BIH DS1 records not found in "
              + dir.toAbsolutePath()
              + ": set -Dvitals.data.dir or VITALS_SHARED_DATA to the shared data folder"
              + " that holds mitdb/");
    }
    return dir;
  }
}
