package org.vitals.gateway.ingest.hl7;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads the HL7 test messages under src/test/resources/hl7. */
final class Fixtures {
  private Fixtures() {}

  static String hl7(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/hl7/" + name)) {
      if (in == null) {
        throw new IllegalStateException("test resource /hl7/" + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
