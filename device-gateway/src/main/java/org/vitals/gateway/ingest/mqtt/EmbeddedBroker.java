package org.vitals.gateway.ingest.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT 5 broker (ActiveMQ Artemis, docs/decisions/0201-embedded-broker.md) used when
 * no external broker is configured. It binds 127.0.0.1 on the configured port, or on a free port
 * when that one is taken (e.g. by a system Mosquitto on 1883), and persists sessions and queued
 * messages under the data directory so that unacknowledged readings survive a gateway restart.
 */
public class EmbeddedBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
  private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
  private final int port;

  public EmbeddedBroker(int preferredPort, Path dataDir) throws IOException {
    int chosen = preferredPort > 0 && isFree(preferredPort) ? preferredPort : freePort();
    if (preferredPort > 0 && chosen != preferredPort) {
      log.warn(
          "Port {} is taken; the embedded MQTT broker listens on 127.0.0.1:{} instead",
          preferredPort,
          chosen);
    }
    Files.createDirectories(dataDir);
    ConfigurationImpl cfg = new ConfigurationImpl();
    cfg.setName("vitals-gateway-embedded");
    cfg.setPersistenceEnabled(true);
    cfg.setSecurityEnabled(false);
    cfg.setJournalType(JournalType.NIO);
    cfg.setJournalDirectory(dataDir.resolve("journal").toString());
    cfg.setBindingsDirectory(dataDir.resolve("bindings").toString());
    cfg.setPagingDirectory(dataDir.resolve("paging").toString());
    cfg.setLargeMessagesDirectory(dataDir.resolve("large").toString());
    cfg.setJournalFileSize(4 * 1024 * 1024);
    cfg.setJournalMinFiles(2);
    cfg.setJMXManagementEnabled(false);
    try {
      cfg.addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + chosen + "?protocols=MQTT");
    } catch (Exception e) {
      throw new IOException("embedded broker acceptor: " + e.getMessage(), e);
    }
    server.setConfiguration(cfg);
    try {
      server.start();
    } catch (Exception e) {
      throw new IOException("embedded MQTT broker did not start: " + e.getMessage(), e);
    }
    this.port = chosen;
    log.info("Embedded MQTT broker listening on tcp://127.0.0.1:{}", port);
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("embedded broker stop: {}", e.toString());
    }
  }
}
