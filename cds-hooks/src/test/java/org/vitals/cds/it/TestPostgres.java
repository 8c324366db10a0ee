package org.vitals.cds.it;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty PostgreSQL database for one test suite on the local server (127.0.0.1:5432 here
 * and in CI; {@code VITALS_TEST_PG_HOST/PORT/USER/PASSWORD} change it). Without one the suite fails
 * and says what to start.
 */
public final class TestPostgres {

  /** JDBC coordinates of a database created for the caller. */
  public record Database(String url, String user, String password) {}

  static final String HOST = env("VITALS_TEST_PG_HOST", "127.0.0.1");
  static final int PORT = Integer.parseInt(env("VITALS_TEST_PG_PORT", "5432"));
  static final String USER = env("VITALS_TEST_PG_USER", "postgres");
  static final String PASSWORD = env("VITALS_TEST_PG_PASSWORD", "");

  private TestPostgres() {}

  public static Database freshDatabase() {
    if (!reachable()) {
      throw new IllegalStateException(
          "These tests need PostgreSQL at "
              + HOST
              + ":"
              + PORT
              + " and none answers. Start it"
              + " (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start, as"
              + " .ci/services.sh does) or set VITALS_TEST_PG_HOST/PORT/USER/PASSWORD.");
    }
    String base = "jdbc:postgresql://" + HOST + ":" + PORT + "/";
    String name = "vitals_cds_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(base + "postgres", USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot create a test database on " + base + " as " + USER + ": " + e.getMessage(), e);
    }
    return new Database(base + name, USER, PASSWORD);
  }

  /**
   * Drops a database {@link #freshDatabase} created (closing what still connects to it), so that
   * test runs do not leave databases behind on the shared server. A failure is reported, not
   * thrown: the tests' results stand.
   */
  public static void drop(Database db) {
    String name = db.url().substring(db.url().lastIndexOf('/') + 1);
    if (!name.matches("vitals_cds_it_[0-9a-f]{12}")) {
      throw new IllegalArgumentException("not a database of these tests: " + name);
    }
    String base = db.url().substring(0, db.url().lastIndexOf('/') + 1);
    try (Connection c = DriverManager.getConnection(base + "postgres", db.user(), db.password());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("Could not drop the test database " + name + ": " + e.getMessage());
    }
  }

  private static boolean reachable() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, PORT), 1000);
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
