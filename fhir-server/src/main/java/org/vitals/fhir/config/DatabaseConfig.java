package org.vitals.fhir.config;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.migrate.HapiMigrator;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.util.VersionEnum;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database: embedded H2 in a file under the data folder by default, PostgreSQL when {@code
 * VITALS_DB_URL} names one. The schema is created and upgraded by HAPI's migrator before the
 * EntityManagerFactory starts (never by Hibernate's {@code hbm2ddl=update}).
 */
@Configuration
public class DatabaseConfig {

  private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);

  /** HAPI's migration history table, as named in HAPI's upgrading guide. */
  static final String MIGRATION_TABLE = "FLY_HFJ_MIGRATION";

  /** The database kinds we support, with the HAPI dialect and migrator driver for each. */
  public enum DatabaseKind {
    H2(HapiFhirH2Dialect.class.getName(), DriverTypeEnum.H2_EMBEDDED, "org.h2.Driver"),
    POSTGRES(
        HapiFhirPostgresDialect.class.getName(),
        DriverTypeEnum.POSTGRES_9_4,
        "org.postgresql.Driver");

    final String dialect;
    final DriverTypeEnum migratorDriver;
    final String jdbcDriver;

    DatabaseKind(String dialect, DriverTypeEnum migratorDriver, String jdbcDriver) {
      this.dialect = dialect;
      this.migratorDriver = migratorDriver;
      this.jdbcDriver = jdbcDriver;
    }

    public String dialect() {
      return dialect;
    }

    static DatabaseKind fromJdbcUrl(String url) {
      if (url.startsWith("jdbc:postgresql:")) {
        return POSTGRES;
      }
      if (url.startsWith("jdbc:h2:")) {
        return H2;
      }
      throw new IllegalStateException(
          "VITALS_DB_URL must be a jdbc:postgresql: or jdbc:h2: URL, got '"
              + url.replaceAll("password=[^&;]*", "password=***")
              + "'");
    }
  }

  @Bean
  DatabaseKind databaseKind(VitalsServerProperties properties) {
    return properties.embedded() ? DatabaseKind.H2 : DatabaseKind.fromJdbcUrl(properties.dbUrl());
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(VitalsServerProperties properties, DatabaseKind kind) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("vitals-fhir");
    config.setDriverClassName(kind.jdbcDriver);
    config.setMaximumPoolSize(properties.dbPoolSize());
    if (properties.embedded()) {
      Path dir = properties.dataDir().toAbsolutePath().resolve("h2");
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the data folder " + dir, e);
      }
      config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("vitals") + ";DB_CLOSE_ON_EXIT=FALSE");
      config.setUsername("sa");
      config.setPassword("");
    } else {
      config.setJdbcUrl(properties.dbUrl());
      config.setUsername(properties.dbUser());
      config.setPassword(properties.dbPassword());
      if (kind == DatabaseKind.POSTGRES) {
        // Lets the driver turn Hibernate's JDBC batches into multi-row INSERTs.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
      }
    }
    HikariDataSource dataSource = new HikariDataSource(config);
    migrate(dataSource, kind);
    if (kind == DatabaseKind.POSTGRES) {
      warnWithoutAutovacuum(dataSource);
    }
    return dataSource;
  }

  /**
   * Without autovacuum nothing keeps the planner's statistics current, and without statistics
   * PostgreSQL answers HAPI's conditional-create lookups (identifier hashes joined to HFJ_RESOURCE)
   * with a sequential scan whose cost grows with the table (docs/benchmarks.md).
   */
  static void warnWithoutAutovacuum(DataSource dataSource) {
    try (var connection = dataSource.getConnection();
        var statement = connection.createStatement();
        var result = statement.executeQuery("SHOW autovacuum")) {
      if (result.next() && "off".equalsIgnoreCase(result.getString(1))) {
        log.warn(
            "PostgreSQL runs with autovacuum off: turn it on, or ANALYZE this database"
                + " regularly; without statistics conditional creates slow down as the"
                + " Observation tables grow");
      }
    } catch (java.sql.SQLException e) {
      log.debug("Could not read the autovacuum setting", e);
    }
  }

  /** Creates or upgrades the HAPI schema; a no-op when it is already current. */
  static void migrate(DataSource dataSource, DatabaseKind kind) {
    long start = System.nanoTime();
    HapiMigrator migrator = new HapiMigrator(MIGRATION_TABLE, dataSource, kind.migratorDriver);
    migrator.addTasks(new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()));
    migrator.createMigrationTableIfRequired();
    MigrationResult result = migrator.migrate();
    log.info(
        "Database schema ({}) is current: {} migration tasks run in {} ms",
        kind,
        result.succeededTasks.size(),
        (System.nanoTime() - start) / 1_000_000);
  }
}
