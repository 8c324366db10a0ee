package org.vitals.gateway.ingest.serial;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A virtual serial cable: {@code socat} links two pseudo-terminals, {@code node} (where the test
 * writes what a sensor node would) and {@code gateway} (what the adapter opens).
 */
public final class SocatPair implements AutoCloseable {
  public final Path node;
  public final Path gateway;
  private Process socat;
  private OutputStream out;

  public SocatPair(Path dir) {
    this.node = dir.resolve("node");
    this.gateway = dir.resolve("gateway");
  }

  public SocatPair start() throws Exception {
    try {
      socat =
          new ProcessBuilder(
                  List.of("socat", "pty,raw,echo=0,link=" + node, "pty,raw,echo=0,link=" + gateway))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "socat is needed for the serial tests: apt-get install socat (.ci/setup.d/gateway-adapters.sh)",
          e);
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!(Files.exists(node) && Files.exists(gateway))) {
      if (!socat.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("socat did not create " + node + " and " + gateway);
      }
      Thread.sleep(20);
    }
    out = null;
    return this;
  }

  /** Writes raw bytes to the node end (partial lines allowed). */
  public void write(String text) throws IOException {
    if (out == null) {
      out = new FileOutputStream(node.toFile());
    }
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Pulls the cable: socat ends and both pseudo-terminals disappear. */
  public void stop() throws Exception {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // the pty may already be gone
      }
      out = null;
    }
    if (socat != null) {
      socat.destroy();
      socat.waitFor();
    }
    Files.deleteIfExists(node);
    Files.deleteIfExists(gateway);
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
