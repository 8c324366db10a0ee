package org.vitals.gateway.ingest.hl7;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The messages already acknowledged with {@code AA}, by sender and MSH-10, in the gateway's durable
 * H2 store: a resent message gets the same ACK again and is not written twice.
 */
public class Hl7MessageLog {
  private final JdbcTemplate jdbc;

  public Hl7MessageLog(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    jdbc.execute(
        "create table if not exists hl7_message ("
            + " message_key varchar(600) primary key,"
            + " ack varchar(4000) not null,"
            + " acked_at timestamp with time zone not null)");
  }

  public Optional<String> ack(String key) {
    return jdbc
        .query("select ack from hl7_message where message_key = ?", (rs, i) -> rs.getString(1), key)
        .stream()
        .findFirst();
  }

  public void accepted(String key, String ack) {
    try {
      jdbc.update(
          "insert into hl7_message(message_key, ack, acked_at) values (?,?,?)",
          key,
          ack.length() > 4000 ? ack.substring(0, 4000) : ack,
          Timestamp.from(Instant.now()));
    } catch (DuplicateKeyException e) {
      // the same message raced in on another connection: one ACK is as good as the other
    }
  }
}
