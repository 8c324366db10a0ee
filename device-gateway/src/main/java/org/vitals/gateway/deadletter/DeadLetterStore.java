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
  }

  public long add(
      String source,
      String topic,
      byte[] payload,
      Instant receivedAt,
      DeadLetterReason reason,
      String detail,
      String identity) {
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    jdbc.update(
        con -> {
          var ps =
              con.prepareStatement(
                  "insert into dead_letter(received_at, dead_lettered_at, source, topic, reason, detail, identity, payload, status)"
                      + " values (?,?,?,?,?,?,?,?, 'open')",
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
          return ps;
        },
        keys);
    return keys.getKey().longValue();
  }

  public List<DeadLetter> list(String reason, String status, int limit, long afterId) {
    StringBuilder sql = new StringBuilder("select * from dead_letter where id > ?");
    List<Object> args = new java.util.ArrayList<>(List.of(afterId));
    if (reason != null) {
      sql.append(" and reason = ?");
      args.add(reason);
    }
    if (status != null) {
      sql.append(" and status = ?");
      args.add(status);
    }
    sql.append(" order by id limit ?");
    args.add(limit);
    return jdbc.query(sql.toString(), ROW, args.toArray());
  }

  public Optional<DeadLetter> get(long id) {
    return jdbc.query("select * from dead_letter where id = ?", ROW, id).stream().findFirst();
  }

  public long count(String reason, String status) {
    Long n =
        jdbc.queryForObject(
            "select count(*) from dead_letter where (? is null or reason = ?) and (? is null or status = ?)",
            Long.class,
            reason,
            reason,
            status,
            status);
    return n == null ? 0 : n;
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
