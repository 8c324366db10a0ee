package org.vitals.gateway.collector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.vitals.gateway.ingest.hl7.Ack;
import org.vitals.gateway.ingest.hl7.Hl7Header;

/**
 * Records an HL7 v2 feed over MLLP. As a server it stores each message and then answers {@code AA}
 * (the message is in the file: a sender that gets no ACK resends, so nothing is lost); as a tee
 * ({@code upstream} set) it stores each message, passes it on to the real receiver and relays that
 * receiver's ACK, or answers {@code AE} when the receiver cannot be reached. Messages are stored
 * exactly as received, in their MLLP frame (VT message FS CR), one file per rotation period.
 */
public final class MllpRecorder implements AutoCloseable {
  static final int VT = 0x0B;
  static final int FS = 0x1C;
  static final int CR = 0x0D;
  static final int MAX_MESSAGE = 16 * 1024 * 1024;

  private final ServerSocket server;
  private final RecordFile out;
  private final InetSocketAddress upstream;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong upstreamErrors = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean running = true;

  /**
   * @param bind address to listen on (null: all)
   * @param port 0 for a free port
   * @param upstream the real receiver in tee mode, or null
   */
  public MllpRecorder(InetAddress bind, int port, RecordFile out, InetSocketAddress upstream)
      throws IOException {
    this.out = out;
    this.upstream = upstream;
    server = new ServerSocket();
    server.setReuseAddress(true);
    try {
      server.bind(new InetSocketAddress(bind, port));
    } catch (IOException e) {
      throw new IOException(
          "cannot listen for MLLP on port " + port + " (--mllp): " + e.getMessage(), e);
    }
  }

  /** Fields of every manifest entry of this stream. */
  public static ObjectNode describe(int port, InetSocketAddress upstream) {
    ObjectNode n = RecordedLine.JSON.createObjectNode();
    n.put("port", port);
    n.put("mode", upstream == null ? "server" : "tee");
    if (upstream != null) {
      n.put("upstream", upstream.getHostString() + ":" + upstream.getPort());
    }
    n.put("framing", "mllp");
    return n;
  }

  public int port() {
    return server.getLocalPort();
  }

  public long messages() {
    return messages.get();
  }

  public long forwarded() {
    return forwarded.get();
  }

  public long upstreamErrors() {
    return upstreamErrors.get();
  }

  public long failed() {
    return failed.get();
  }

  public MllpRecorder start() {
    Thread t = new Thread(this::accept, "mllp-collector-" + port());
    t.setDaemon(true);
    t.start();
    return this;
  }

  private void accept() {
    while (running) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        Thread t = new Thread(() -> serve(s), "mllp-collector-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (running) {
          System.err.println("collect: MLLP accept failed: " + e.getMessage());
        }
      }
    }
  }

  private void serve(Socket s) {
    Socket up = null;
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream reply = s.getOutputStream();
      byte[] message;
      while ((message = readFrame(in)) != null) {
        long now = System.currentTimeMillis();
        String text = new String(message, StandardCharsets.UTF_8);
        Hl7Header h = Hl7Header.of(text);
        byte[] framed = frame(message);
        try {
          out.write(framed, now, true);
          messages.incrementAndGet();
        } catch (IOException e) {
          failed.incrementAndGet();
          reply.write(
              frame(ack(h, "AE", "collector cannot store the message; resend", e.toString())));
          reply.flush();
          continue;
        }
        byte[] answer;
        if (upstream == null) {
          answer =
              h.messageType() == null
                  ? frame(ack(h, "AR", "not an HL7 v2 message (no MSH segment)", null))
                  : frame(ack(h, "AA", null, null));
        } else {
          try {
            if (up == null || up.isClosed()) {
              up = new Socket();
              up.connect(upstream, 10_000);
              up.setSoTimeout(30_000);
            }
            up.getOutputStream().write(framed);
            up.getOutputStream().flush();
            byte[] ack = readFrame(up.getInputStream());
            if (ack == null) {
              throw new IOException("upstream closed the connection without an ACK");
            }
            forwarded.incrementAndGet();
            answer = frame(ack);
          } catch (IOException e) {
            upstreamErrors.incrementAndGet();
            closeQuietly(up);
            up = null;
            answer =
                frame(
                    ack(
                        h,
                        "AE",
                        "receiver " + upstream + " did not acknowledge; resend",
                        e.getMessage()));
          }
        }
        reply.write(answer);
        reply.flush();
      }
    } catch (IOException e) {
      if (running) {
        System.err.println("collect: MLLP connection ended: " + e.getMessage());
      }
    } finally {
      sockets.remove(s);
      closeQuietly(up);
    }
  }

  private static byte[] ack(Hl7Header h, String code, String text, String error) {
    List<Ack.Error> errors = error == null ? List.of() : List.of(new Ack.Error("207", "", error));
    return Ack.build(h, code, text, errors).getBytes(StandardCharsets.UTF_8);
  }

  /** The next MLLP payload, or null at the end of the stream; bytes outside a frame are skipped. */
  static byte[] readFrame(InputStream in) throws IOException {
    int b;
    do {
      b = in.read();
      if (b < 0) {
        return null;
      }
    } while (b != VT);
    ByteArrayOutputStream msg = new ByteArrayOutputStream(1024);
    while (true) {
      b = in.read();
      if (b < 0) {
        return null; // cut off mid-frame: never acknowledged, so the sender sends it again
      }
      if (b == FS) {
        int next = in.read();
        if (next == CR || next < 0) {
          return msg.toByteArray();
        }
        msg.write(b);
        b = next;
      }
      if (msg.size() >= MAX_MESSAGE) {
        throw new IOException("MLLP message longer than " + MAX_MESSAGE + " bytes");
      }
      msg.write(b);
    }
  }

  static byte[] frame(byte[] message) {
    byte[] f = new byte[message.length + 3];
    f[0] = VT;
    System.arraycopy(message, 0, f, 1, message.length);
    f[f.length - 2] = FS;
    f[f.length - 1] = CR;
    return f;
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
