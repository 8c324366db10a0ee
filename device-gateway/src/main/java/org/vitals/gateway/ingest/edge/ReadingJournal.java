package org.vitals.gateway.ingest.edge;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The edge node's durable outbox: v1 readings waiting for the uplink, in arrival order, in the
 * gateway's H2 file database. Bounded: when full, the oldest readings are evicted, counted and
 * logged, so a long outage costs the oldest data, never the newest or the node itself.
 */
public class ReadingJournal {
  private static final Logger log = LoggerFactory.getLogger(ReadingJournal.class);

  /** One journaled reading. */
  public record Entry(long id, String topic, byte[] payload) {}

  private final JdbcTemplate jdbc;
  private final int capacity;
  private final AtomicLong evicted = new AtomicLong();

  public ReadingJournal(JdbcTemplate jdbc, int capacity) {
    this.jdbc = jdbc;
    this.capacity = capacity;
    jdbc.execute(
        "create table if not exists edge_journal ("
            + " id bigint auto_increment primary key,"
            + " topic varchar(512) not null,"
            + " payload varbinary(65536) not null,"
            + " queued_at timestamp with time zone not null)");
  }

  /** Appends a reading (durable when this returns), evicting the oldest when full. */
  public synchronized void append(String topic, String payload) {
    jdbc.update(
        "insert into edge_journal(topic, payload, queued_at) values (?,?,?)",
        topic,
        payload.getBytes(StandardCharsets.UTF_8),
        Timestamp.from(Instant.now()));
    long over = size() - capacity;
    if (over > 0) {
      int n =
          jdbc.update(
              "delete from edge_journal where id in (select id from edge_journal order by id limit ?)",
              over);
      evicted.addAndGet(n);
      log.warn(
          "edge journal full ({} readings): evicted the {} oldest, {} in total",
          capacity,
          n,
          evicted.get());
    }
  }

  /** The oldest {@code n} readings, in order. */
  public List<Entry> oldest(int n) {
    return jdbc.query(
        "select id, topic, payload from edge_journal order by id limit ?",
        (rs, i) -> new Entry(rs.getLong(1), rs.getString(2), rs.getBytes(3)),
        n);
  }

  /** Removes a reading once the uplink has acknowledged it. */
  public void remove(long id) {
    jdbc.update("delete from edge_journal where id = ?", id);
  }

  public long size() {
    Long n = jdbc.queryForObject("select count(*) from edge_journal", Long.class);
    return n == null ? 0 : n;
  }

  /** Readings evicted because the journal was full (since start). */
  public long evicted() {
    return evicted.get();
  }
}
