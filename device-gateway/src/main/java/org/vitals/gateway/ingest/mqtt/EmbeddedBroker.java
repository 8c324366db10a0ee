package org.vitals.gateway.ingest.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT broker (Moquette) used when no external broker is configured. It binds
 * 127.0.0.1 on the configured port, or on a free port when that one is taken (e.g. by a system
 * Mosquitto on 1883), and persists sessions and queued messages under the data directory so that
 * unacknowledged readings survive a gateway restart.
 */
public class EmbeddedBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
  private final Server server = new Server();
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
    Properties p = new Properties();
    p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
    p.setProperty(IConfig.PORT_PROPERTY_NAME, String.valueOf(chosen));
    p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
    p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dataDir.toAbsolutePath().toString());
    p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, String.valueOf(1024 * 1024));
    p.setProperty(IConfig.SESSION_QUEUE_SIZE, "100000");
    p.setProperty(IConfig.BUFFER_FLUSH_MS_PROPERTY_NAME, "0");
    server.startServer(new MemoryConfig(p));
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
    server.stopServer();
  }
}
