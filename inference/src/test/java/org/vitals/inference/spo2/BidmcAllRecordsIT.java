package org.vitals.inference.spo2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The oximetry analysis over all 53 BIDMC numerics records of the shared data. */
class BidmcAllRecordsIT {

  private static Path bidmc() {
    String p = System.getProperty("vitals.data.dir");
    if (p == null || p.isBlank()) {
      p = System.getenv("VITALS_SHARED_DATA");
    }
    Path dir = Path.of(p == null || p.isBlank() ? "../../shared/data" : p).resolve("bidmc");
    if (!Files.isRegularFile(dir.resolve("bidmc_01_Numerics.csv"))) {
      throw new IllegalStateException(
          "BIDMC numerics not found in "
              + dir.toAbsolutePath()
              + ": set -Dvitals.data.dir or VITALS_SHARED_DATA to the shared data folder");
    }
    return dir;
  }

  @Test
  void everyRecordIsAnalysedAndTheKnownDipsAndHypoxaemiaAreFound() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code =
        new EvaluateSpO2Command()
            .run(
                new String[] {"--data", bidmc().toString(), "--json"},
                new PrintStream(buf, true),
                System.err);
    assertThat(code).isZero();
    String[] lines = buf.toString().trim().split("\n");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(json.get("records").asInt()).isEqualTo(53);
    assertThat(json.get("insufficient_records").asInt()).isZero();
    Map<String, JsonNode> byRecord = new HashMap<>();
    json.get("per_record").forEach(r -> byRecord.put(r.get("record").asText(), r));

    // Reference §4: record 32 (min 83) and 49 (min 84) stay below 90 % throughout.
    for (String r : new String[] {"bidmc_32", "bidmc_49"}) {
      assertThat(byRecord.get(r).get("t90").asDouble()).as(r).isEqualTo(100.0);
      assertThat(byRecord.get(r).get("sustained_hypoxaemia").asInt()).as(r).isEqualTo(1);
    }
    assertThat(byRecord.get("bidmc_32").get("min_spo2").asDouble()).isEqualTo(83.0);
    // Record 22 touches 88 % for two seconds: counted in T90, not sustained.
    assertThat(byRecord.get("bidmc_22").get("min_spo2").asDouble()).isEqualTo(88.0);
    assertThat(byRecord.get("bidmc_22").get("t90").asDouble()).isBetween(0.1, 1.0);
    assertThat(byRecord.get("bidmc_22").get("sustained_hypoxaemia").asInt()).isZero();
    // Record 46 has the one 3 % desaturation of at least 10 s in the set.
    assertThat(byRecord.get("bidmc_46").get("events3").asInt()).isEqualTo(1);
    int withEvents = 0;
    for (JsonNode r : byRecord.values()) {
      withEvents += r.get("events3").asInt() > 0 ? 1 : 0;
      assertThat(r.get("valid_seconds").asDouble()).as(r.get("record").asText()).isGreaterThan(300);
    }
    // ICU patients at rest: desaturation events are rare in these 8-minute records.
    assertThat(withEvents).isLessThanOrEqualTo(3);
    // Record 19 has 102 s without SpO2: rejected as missing, not analysed as values.
    assertThat(byRecord.get("bidmc_19").get("rejected_samples").asInt())
        .isGreaterThanOrEqualTo(102);
    assertThat(json.get("synthetic_odi4").get("se").asDouble()).isGreaterThanOrEqualTo(95.0);
    assertThat(json.get("synthetic_odi4").get("ppv").asDouble()).isGreaterThanOrEqualTo(95.0);
  }
}
