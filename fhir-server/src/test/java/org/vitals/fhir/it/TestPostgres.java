package org.vitals.fhir.it;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * A fresh, empty PostgreSQL database for one test suite: on the local server when one answers (this
 * machine and CI have one at 127.0.0.1:5432), otherwise in a Testcontainers container when a Docker
 * engine is available. Neither: the suite fails with a message that says what to start.
 */
public final class TestPostgres {

  /** JDBC coordinates of a database created for the caller. */
  public record Database(String url, String user, String password) {}

  static final String HOST = env("VITALS_TEST_PG_HOST", "127.0.0.1");
  static final int PORT = Integer.parseInt(env("VITALS_TEST_PG_PORT", "5432"));
  static final String USER = env("VITALS_TEST_PG_USER", "postgres");
  static final String PASSWORD = env("VITALS_TEST_PG_PASSWORD", "");

  private static PostgreSQLContainer<?> container;

  private TestPostgres() {}

  public static synchronized Database freshDatabase() {
    if (reachable(HOST, PORT)) {
      return createDatabase("jdbc:postgresql://" + HOST + ":" + PORT + "/", USER, PASSWORD);
    }
    if (DockerClientFactory.instance().isDockerAvailable()) {
      if (container == null) {
        container = new PostgreSQLContainer<>("postgres:15-alpine");
        container.start();
      }
      String base =
          container.getJdbcUrl().substring(0, container.getJdbcUrl().lastIndexOf('/') + 1);
      return createDatabase(base, container.getUsername(), container.getPassword());
    }
    throw new IllegalStateException(
        "These tests need PostgreSQL: none answers at "
            + HOST
            + ":"
            + PORT
            + " and no Docker engine is available for Testcontainers. Start PostgreSQL"
            + " (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or"
            + " set VITALS_TEST_PG_HOST/PORT/USER/PASSWORD.");
  }

  private static Database createDatabase(String baseUrl, String user, String password) {
    String name = "vitals_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(baseUrl + "postgres", user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot create a test database on " + baseUrl + " as " + user + ": " + e.getMessage(), e);
    }
    return new Database(baseUrl + name, user, password);
  }

  private static boolean reachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
