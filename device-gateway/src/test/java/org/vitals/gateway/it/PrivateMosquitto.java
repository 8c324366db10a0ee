package org.vitals.gateway.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Mosquitto of the test's own on a free port (never the machine's shared one on 1883): one TLS
 * listener with a certificate from a CA made at test time (openssl), a password file made with
 * mosquitto_passwd, and the ACL the project ships ({@code deploy/mosquitto/aclfile}) as it is.
 */
final class PrivateMosquitto implements AutoCloseable {
  final Path dir;
  final Path caPem;
  final int port;
  private final Process process;

  private PrivateMosquitto(Path dir, int port, Process process) {
    this.dir = dir;
    this.caPem = dir.resolve("ca.pem");
    this.port = port;
    this.process = process;
  }

  /** Starts the broker with these users (name to password) and the shipped ACL. */
  static PrivateMosquitto start(Map<String, String> users) throws Exception {
    Path mosquitto = binary("mosquitto");
    Path passwdTool = binary("mosquitto_passwd");
    Path dir = Files.createTempDirectory("mqtt-sec-it");
    // The test CA and the broker's certificate, valid for 127.0.0.1 and localhost.
    run(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-subj",
        "/CN=Vitals test CA");
    run(
        dir,
        "openssl",
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    run(
        dir,
        "openssl",
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        "server.pem",
        "-extfile",
        "san.ext");
    Path passwd = dir.resolve("passwd");
    Files.writeString(passwd, "");
    for (Map.Entry<String, String> user : users.entrySet()) {
      run(dir, passwdTool.toString(), "-b", passwd.toString(), user.getKey(), user.getValue());
    }
    Path acl = Path.of("../deploy/mosquitto/aclfile");
    if (!Files.exists(acl)) {
      throw new IllegalStateException(acl.toAbsolutePath() + " is missing (the shipped ACL)");
    }
    int port = ItEnvironment.freePort();
    // The shipped deploy/mosquitto/mosquitto.conf, with this test's paths and port.
    String conf =
        String.join(
            "\n",
            "persistence false",
            "log_dest stdout",
            "log_type all",
            "per_listener_settings false",
            "allow_anonymous false",
            "password_file " + passwd,
            "acl_file " + acl.toAbsolutePath().normalize(),
            "listener " + port + " 127.0.0.1",
            "cafile " + dir.resolve("ca.pem"),
            "certfile " + dir.resolve("server.pem"),
            "keyfile " + dir.resolve("server.key"),
            "tls_version tlsv1.2",
            "");
    Path confFile = dir.resolve("mosquitto.conf");
    Files.writeString(confFile, conf);
    // Started as root, mosquitto drops to its own user: it must be able to read these test files.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
    Process p =
        new ProcessBuilder(mosquitto.toString(), "-c", confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.log").toFile())
            .start();
    PrivateMosquitto broker = new PrivateMosquitto(dir, port, p);
    Instant until = Instant.now().plus(Duration.ofSeconds(15));
    while (Instant.now().isBefore(until)) {
      if (!p.isAlive()) {
        throw new IllegalStateException("mosquitto exited: " + broker.log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return broker;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    broker.close();
    throw new IllegalStateException("mosquitto did not listen on " + port + ": " + broker.log());
  }

  String sslUrl() {
    return "ssl://127.0.0.1:" + port;
  }

  String log() {
    return ItEnvironment.tail(dir.resolve("mosquitto.log"));
  }

  private static Path binary(String name) {
    for (String d : new String[] {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        name + " is not installed: apt-get install mosquitto (the test runs a private instance)");
  }

  private static void run(Path dir, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(command));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("tools.log").toFile())
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(
          String.join(" ", cmd) + " failed: " + Files.readString(dir.resolve("tools.log")));
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
