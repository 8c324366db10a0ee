package org.vitals.fhir.security.authserver;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.migrate.HapiMigrator;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.taskdef.ExecuteRawSqlTask;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.vitals.fhir.config.DatabaseConfig.DatabaseKind;

/**
 * Authorizations (codes, access, refresh and ID tokens) and consents in the server's own database
 * (H2 file by default, PostgreSQL when configured), so that a restart signs nobody out (decision
 * 0804). Spring Authorization Server's JDBC services over its documented tables, created by a
 * migration of our own (HAPI's migrator, history table {@value #MIGRATION_TABLE}) with the column
 * types its schema file asks for on PostgreSQL ({@code text}, {@code timestamptz}); token values
 * are {@code varchar}/{@code text}, not {@code blob}, so that lookups by value compare strings on
 * both databases. Authorizations none of whose tokens can still be used are deleted as saves go by
 * (a backend client takes a token every few minutes, so the table would otherwise only grow).
 */
final class PersistentAuthorizations {

  private static final Logger log = LoggerFactory.getLogger(PersistentAuthorizations.class);

  static final String MIGRATION_TABLE = "VITALS_AUTH_MIGRATION";

  /** How often (in saves) finished authorizations are deleted. */
  private static final int PURGE_EVERY = 256;

  private PersistentAuthorizations() {}

  /** Creates or upgrades the tables; idempotent (the migrator records what it has run). */
  static void migrate(DataSource dataSource, DatabaseKind kind) {
    DriverTypeEnum driver =
        kind == DatabaseKind.POSTGRES ? DriverTypeEnum.POSTGRES_9_4 : DriverTypeEnum.H2_EMBEDDED;
    HapiMigrator migrator = new HapiMigrator(MIGRATION_TABLE, dataSource, driver);
    ExecuteRawSqlTask create = new ExecuteRawSqlTask("V1_0_0", "20261127.1");
    create.addSql(
        DriverTypeEnum.H2_EMBEDDED, authorizationTable("varchar", "timestamp with time zone"));
    create.addSql(DriverTypeEnum.POSTGRES_9_4, authorizationTable("text", "timestamptz"));
    for (DriverTypeEnum d :
        new DriverTypeEnum[] {DriverTypeEnum.H2_EMBEDDED, DriverTypeEnum.POSTGRES_9_4}) {
      create.addSql(
          d,
          "create table oauth2_authorization_consent ("
              + " registered_client_id varchar(100) not null,"
              + " principal_name varchar(200) not null,"
              + " authorities varchar(1000) not null,"
              + " primary key (registered_client_id, principal_name))");
    }
    migrator.addTask(create);
    migrator.createMigrationTableIfRequired();
    MigrationResult result = migrator.migrate();
    log.info(
        "Authorization store schema is current ({} task(s) run)", result.succeededTasks.size());
  }

  /** Spring Authorization Server 1.5's oauth2-authorization-schema.sql with our column types. */
  private static String authorizationTable(String lob, String timestamp) {
    StringBuilder sql =
        new StringBuilder(
            "create table oauth2_authorization ("
                + " id varchar(100) not null,"
                + " registered_client_id varchar(100) not null,"
                + " principal_name varchar(200) not null,"
                + " authorization_grant_type varchar(100) not null,"
                + " authorized_scopes varchar(1000) default null,"
                + " attributes "
                + lob
                + " default null,"
                + " state varchar(500) default null,");
    for (String token :
        new String[] {
          "authorization_code",
          "access_token",
          "oidc_id_token",
          "refresh_token",
          "user_code",
          "device_code"
        }) {
      sql.append(' ').append(token).append("_value ").append(lob).append(" default null,");
      sql.append(' ')
          .append(token)
          .append("_issued_at ")
          .append(timestamp)
          .append(" default null,");
      sql.append(' ')
          .append(token)
          .append("_expires_at ")
          .append(timestamp)
          .append(" default null,");
      sql.append(' ').append(token).append("_metadata ").append(lob).append(" default null,");
      if (token.equals("access_token")) {
        sql.append(" access_token_type varchar(100) default null,");
        sql.append(" access_token_scopes varchar(1000) default null,");
      }
    }
    return sql.append(" primary key (id))").toString();
  }

  /** The JDBC authorization service, deleting finished authorizations now and then. */
  static OAuth2AuthorizationService service(
      JdbcTemplate jdbc, RegisteredClientRepository clients, Clock clock) {
    return new Purging(new JdbcOAuth2AuthorizationService(jdbc, clients), jdbc, clock);
  }

  static final class Purging implements OAuth2AuthorizationService {
    private final OAuth2AuthorizationService delegate;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final AtomicInteger saves = new AtomicInteger();

    Purging(OAuth2AuthorizationService delegate, JdbcTemplate jdbc, Clock clock) {
      this.delegate = delegate;
      this.jdbc = jdbc;
      this.clock = clock;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
      delegate.save(authorization);
      if (saves.incrementAndGet() % PURGE_EVERY == 0) {
        purgeFinished();
      }
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
      delegate.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
      return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
      return delegate.findByToken(token, tokenType);
    }

    /**
     * Deletes authorizations that have at least one token and none that has not expired yet (an
     * invalidated token also expires; until then it is kept so that a reused refresh token is
     * recognised as reused). Returns how many were deleted.
     */
    int purgeFinished() {
      Timestamp now = Timestamp.from(clock.instant());
      int deleted =
          jdbc.update(
              "delete from oauth2_authorization where"
                  + " coalesce(authorization_code_expires_at, access_token_expires_at,"
                  + " refresh_token_expires_at, oidc_id_token_expires_at) is not null"
                  + " and (authorization_code_expires_at is null or authorization_code_expires_at < ?)"
                  + " and (access_token_expires_at is null or access_token_expires_at < ?)"
                  + " and (refresh_token_expires_at is null or refresh_token_expires_at < ?)"
                  + " and (oidc_id_token_expires_at is null or oidc_id_token_expires_at < ?)",
              now,
              now,
              now,
              now);
      if (deleted > 0) {
        log.debug("Deleted {} finished authorization(s)", deleted);
      }
      return deleted;
    }
  }
}
