package org.vitals.gateway.ingest.edge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP relay to a real broker whose link the test can cut and restore (an uplink outage). */
final class TcpOutage implements AutoCloseable {
  final int port;
  private final int target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  TcpOutage(int port, int target) {
    this.port = port;
    this.target = target;
  }

  synchronized void up() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress("127.0.0.1", port));
    server = s;
    Thread t = new Thread(() -> accept(s), "relay-accept");
    t.setDaemon(true);
    t.start();
  }

  synchronized void down() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket in = s.accept();
        Socket out = new Socket("127.0.0.1", target);
        open.add(in);
        open.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (InputStream i = from.getInputStream();
                  OutputStream o = to.getOutputStream()) {
                int n;
                while ((n = i.read(buf)) >= 0) {
                  o.write(buf, 0, n);
                  o.flush();
                }
              } catch (IOException ignored) {
                // link cut
              } finally {
                try {
                  from.close();
                  to.close();
                } catch (IOException ignored) {
                  // already closed
                }
              }
            },
            "relay-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    down();
  }
}
