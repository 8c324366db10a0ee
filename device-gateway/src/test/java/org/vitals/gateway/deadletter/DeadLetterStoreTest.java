package org.vitals.gateway.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The dead-letter store is on disk (a new store over the same file sees earlier entries) and lists
 * one device's entries among many others, newest first, page by page.
 */
class DeadLetterStoreTest {
  @TempDir Path dir;

  private SimpleDriverDataSource dataSource() {
    return new SimpleDriverDataSource(
        new org.h2.Driver(), "jdbc:h2:file:" + dir.resolve("dl") + ";DB_CLOSE_DELAY=0", "sa", "");
  }

  private DeadLetterStore open() {
    return new DeadLetterStore(new JdbcTemplate(dataSource()));
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
    assertThat(reopened.list(new DeadLetterStore.Query(null, null, "open", true, 0, 10)))
        .hasSize(2);

    reopened.markReplayed(id, "replayed");
    assertThat(open().count(null, "open")).isEqualTo(1);
    assertThat(open().get(id).orElseThrow().replayedAt()).isNotNull();
  }

  private static long add(DeadLetterStore store, String dev, DeadLetterReason reason) {
    return store.add(
        "mqtt",
        "vitals/v1/gw/" + dev + "/spo2",
        "{}".getBytes(StandardCharsets.UTF_8),
        Instant.now(),
        reason,
        "detail",
        null);
  }

  @Test
  void oneDevicesEntryIsFoundAmongThousandsOfOthersNewestFirst() {
    DeadLetterStore store = open();
    // 1,500 other devices' entries in one statement (one insert each would take a minute here).
    new JdbcTemplate(dataSource())
        .update(
            "insert into dead_letter(received_at, dead_lettered_at, source, topic, reason, payload,"
                + " status, device) select now(), now(), 'mqtt', 'vitals/v1/gw/busy-' || mod(x, 7)"
                + " || '/spo2', 'unassigned-device', X'7B7D', 'open', 'busy-' || mod(x, 7)"
                + " from system_range(1, 1500)");
    long mine = add(store, "lonely", DeadLetterReason.UNASSIGNED_DEVICE);
    add(store, "lonely", DeadLetterReason.MALFORMED_JSON);
    for (int i = 0; i < 10; i++) {
      add(store, "busy-" + i, DeadLetterReason.UNASSIGNED_DEVICE);
    }

    var byDevice =
        store.list(new DeadLetterStore.Query("unassigned-device", "lonely", "open", true, 0, 100));
    assertThat(byDevice).extracting(DeadLetter::id).containsExactly(mine);
    assertThat(byDevice.get(0).device()).isEqualTo("lonely");
    assertThat(store.count(new DeadLetterStore.Query(null, "lonely", "open", true, 0, 1)))
        .isEqualTo(2);

    // Newest first: the latest entries come first, and the cursor pages back to older ones.
    var newest =
        store.list(new DeadLetterStore.Query("unassigned-device", null, null, true, 0, 20));
    assertThat(newest.get(0).id()).isGreaterThan(newest.get(19).id());
    assertThat(newest).extracting(DeadLetter::id).contains(mine);
    var older =
        store.list(
            new DeadLetterStore.Query(
                "unassigned-device", null, null, true, newest.get(19).id(), 20));
    assertThat(older.get(0).id()).isLessThan(newest.get(19).id());

    // Oldest first pages forward from the cursor.
    var oldest = store.list(new DeadLetterStore.Query(null, null, null, false, 0, 5));
    assertThat(oldest.get(0).id()).isLessThan(oldest.get(4).id());
    assertThat(store.list(new DeadLetterStore.Query(null, null, null, false, store.lastId(), 5)))
        .isEmpty();
  }

  @Test
  void entriesFromBeforeTheDeviceColumnGetTheirDeviceFromTheTopic() {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource());
    jdbc.execute(
        "create table dead_letter ("
            + " id bigint auto_increment primary key,"
            + " received_at timestamp with time zone not null,"
            + " dead_lettered_at timestamp with time zone not null,"
            + " source varchar(32) not null,"
            + " topic varchar(512),"
            + " reason varchar(64) not null,"
            + " detail varchar(4000),"
            + " identity varchar(200),"
            + " payload varbinary(1048576) not null,"
            + " status varchar(16) not null,"
            + " replayed_at timestamp with time zone)");
    jdbc.update(
        "insert into dead_letter(received_at, dead_lettered_at, source, topic, reason, payload,"
            + " status) values (now(), now(), 'mqtt', 'vitals/v1/gw-1/old-dev/hr',"
            + " 'unassigned-device', X'7B7D', 'open')");
    jdbc.update(
        "insert into dead_letter(received_at, dead_lettered_at, source, topic, reason, payload,"
            + " status) values (now(), now(), 'mqtt', 'acme/ward/telemetry', 'no-template',"
            + " X'7B7D', 'open')");

    DeadLetterStore store = open();
    var entries = store.list(new DeadLetterStore.Query(null, null, null, false, 0, 10));
    assertThat(entries).extracting(DeadLetter::device).containsExactly("old-dev", null);
  }
}
