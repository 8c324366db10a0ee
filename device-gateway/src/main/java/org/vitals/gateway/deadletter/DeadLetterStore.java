package org.vitals.gateway.deadletter;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * Durable dead-letter store (an embedded H2 file database under the data directory): an entry is on
 * disk before the MQTT message that carried it is acknowledged.
 */
public class DeadLetterStore {
  private static final RowMapper<DeadLetter> ROW =
      (rs, i) ->
          new DeadLetter(
              rs.getLong("id"),
              instant(rs.getTimestamp("received_at")),
              instant(rs.getTimestamp("dead_lettered_at")),
              rs.getString("source"),
              rs.getString("topic"),
              rs.getString("reason"),
              rs.getString("detail"),
              rs.getString("identity"),
              rs.getString("device"),
              new String(rs.getBytes("payload"), StandardCharsets.UTF_8),
              rs.getString("status"),
              instant(rs.getTimestamp("replayed_at")));

  private final JdbcTemplate jdbc;

  public DeadLetterStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    jdbc.execute(
        "create table if not exists dead_letter ("
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
    jdbc.execute("create index if not exists dead_letter_reason on dead_letter(reason, status)");
    // Added later: the device a dead letter came from, so that an operator (or a test on a busy
    // broker) finds one device's entries among many. Entries from before get it from the topic.
    jdbc.execute("alter table dead_letter add column if not exists device varchar(200)");
    jdbc.execute("create index if not exists dead_letter_device on dead_letter(device, status)");
    jdbc.update(
        "update dead_letter set device = regexp_substr(topic, '^vitals/v1/[^/]+/([^/]+)/', 1, 1,"
            + " '', 1) where device is null and topic like 'vitals/v1/%/%/%'");
  }

  /**
   * Which entries to list: all filters optional (null: any); newest first (descending id, {@code
   * cursor} an exclusive upper id bound) or oldest first (ascending, {@code cursor} an exclusive
   * lower bound); 0 is no bound.
   */
  public record Query(
      String reason, String device, String status, boolean newestFirst, long cursor, int limit) {
    public static Query open(String reason, String device) {
      return new Query(reason, device, "open", false, 0, 1000);
    }
  }

  /** The device of a native topic {@code vitals/v1/{gateway}/{device}/{metric}}, else null. */
  static String deviceOfTopic(String topic) {
    if (topic == null || !topic.startsWith("vitals/v1/")) {
      return null;
    }
    String[] p = topic.split("/", -1);
    return p.length >= 5 && !p[3].isEmpty() ? p[3] : null;
  }

  public long add(
      String source,
      String topic,
      byte[] payload,
      Instant receivedAt,
      DeadLetterReason reason,
      String detail,
      String identity) {
    return add(source, topic, payload, receivedAt, reason, detail, identity, null);
  }

  /**
   * Stores an entry; {@code device} null takes the device from a native topic (unknown for a
   * payload that never parsed on a third-party topic).
   */
  public long add(
      String source,
      String topic,
      byte[] payload,
      Instant receivedAt,
      DeadLetterReason reason,
      String detail,
      String identity,
      String device) {
    String dev = device != null ? device : deviceOfTopic(topic);
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    jdbc.update(
        con -> {
          var ps =
              con.prepareStatement(
                  "insert into dead_letter(received_at, dead_lettered_at, source, topic, reason,"
                      + " detail, identity, payload, status, device)"
                      + " values (?,?,?,?,?,?,?,?, 'open', ?)",
                  new String[] {"id"});
          ps.setTimestamp(1, Timestamp.from(receivedAt));
          ps.setTimestamp(2, Timestamp.from(Instant.now()));
          ps.setString(3, source);
          ps.setString(4, topic);
          ps.setString(5, reason.code());
          ps.setString(
              6,
              detail == null ? null : detail.length() > 4000 ? detail.substring(0, 4000) : detail);
          ps.setString(7, identity);
          ps.setBytes(8, payload);
          ps.setString(9, dev == null || dev.length() <= 200 ? dev : dev.substring(0, 200));
          return ps;
        },
        keys);
    return keys.getKey().longValue();
  }

  public List<DeadLetter> list(Query q) {
    List<Object> args = new java.util.ArrayList<>();
    StringBuilder sql = new StringBuilder("select * from dead_letter").append(where(q, args));
    if (q.cursor() > 0) {
      sql.append(q.newestFirst() ? " and id < ?" : " and id > ?");
      args.add(q.cursor());
    }
    sql.append(q.newestFirst() ? " order by id desc" : " order by id").append(" limit ?");
    args.add(q.limit());
    return jdbc.query(sql.toString(), ROW, args.toArray());
  }

  /** Entries matching the query's filters (reason, device, status), whatever the cursor. */
  public long count(Query q) {
    List<Object> args = new java.util.ArrayList<>();
    Long n =
        jdbc.queryForObject(
            "select count(*) from dead_letter" + where(q, args), Long.class, args.toArray());
    return n == null ? 0 : n;
  }

  private static String where(Query q, List<Object> args) {
    StringBuilder w = new StringBuilder(" where 1 = 1");
    if (q.reason() != null) {
      w.append(" and reason = ?");
      args.add(q.reason());
    }
    if (q.device() != null) {
      w.append(" and device = ?");
      args.add(q.device());
    }
    if (q.status() != null) {
      w.append(" and status = ?");
      args.add(q.status());
    }
    return w.toString();
  }

  public Optional<DeadLetter> get(long id) {
    return jdbc.query("select * from dead_letter where id = ?", ROW, id).stream().findFirst();
  }

  /** The highest id so far (0 when empty). */
  public long lastId() {
    Long n = jdbc.queryForObject("select coalesce(max(id), 0) from dead_letter", Long.class);
    return n == null ? 0 : n;
  }

  public long count(String reason, String status) {
    return count(new Query(reason, null, status, false, 0, 1));
  }

  /** Marks an entry as replayed: its reading was written, or went to a new entry. */
  public void markReplayed(long id, String status) {
    jdbc.update(
        "update dead_letter set status = ?, replayed_at = ? where id = ?",
        status,
        Timestamp.from(Instant.now()),
        id);
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
