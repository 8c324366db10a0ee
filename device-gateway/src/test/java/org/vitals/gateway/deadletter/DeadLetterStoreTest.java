package org.vitals.gateway.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The dead-letter store is on disk: a new store over the same file sees earlier entries. */
class DeadLetterStoreTest {
  @TempDir Path dir;

  private DeadLetterStore open() {
    var ds =
        new SimpleDriverDataSource(
            new org.h2.Driver(),
            "jdbc:h2:file:" + dir.resolve("dl") + ";DB_CLOSE_DELAY=0",
            "sa",
            "");
    return new DeadLetterStore(new JdbcTemplate(ds));
  }

  @Test
  void entriesKeepPayloadReasonAndTimeAcrossReopen() {
    Instant received = Instant.parse("2026-11-27T05:00:00Z");
    long id =
        open()
            .add(
                "mqtt",
                "vitals/v1/gw/d/spo2",
                "{\"val\":140}".getBytes(StandardCharsets.UTF_8),
                received,
                DeadLetterReason.IMPLAUSIBLE_VALUE,
                "spo2 140 % is outside 0 to 100 %",
                "d:1:1");
    open()
        .add(
            "mqtt",
            "vitals/v1/gw/d/hr",
            "not json".getBytes(StandardCharsets.UTF_8),
            received,
            DeadLetterReason.MALFORMED_JSON,
            "payload is not JSON",
            null);

    DeadLetterStore reopened = open();
    DeadLetter d = reopened.get(id).orElseThrow();
    assertThat(d.payload()).isEqualTo("{\"val\":140}");
    assertThat(d.reason()).isEqualTo("implausible-value");
    assertThat(d.receivedAt()).isEqualTo(received);
    assertThat(d.status()).isEqualTo("open");
    assertThat(reopened.count("implausible-value", "open")).isEqualTo(1);
    assertThat(reopened.list(null, "open", 10, 0)).hasSize(2);

    reopened.markReplayed(id, "replayed");
    assertThat(open().count(null, "open")).isEqualTo(1);
    assertThat(open().get(id).orElseThrow().replayedAt()).isNotNull();
  }
}
