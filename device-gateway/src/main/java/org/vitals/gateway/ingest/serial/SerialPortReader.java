package org.vitals.gateway.ingest.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one serial port with jSerialComm (115200 8N1, no flow control) and feeds its lines to a
 * {@link SerialSession}. When the port goes away (cable pulled, node re-enumerated) it closes it
 * and tries again every {@code retry} until the port comes back.
 */
public class SerialPortReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SerialPortReader.class);

  private final String path;
  private final int baud;
  private final SerialSession session;
  private final Duration retry;
  private final LineAssembler assembler;
  private final AtomicLong opens = new AtomicLong();
  private volatile boolean running = true;
  private volatile boolean connected;
  private Thread thread;

  public SerialPortReader(String path, int baud, SerialSession session, Duration retry) {
    this.path = path;
    this.baud = baud;
    this.session = session;
    this.retry = retry;
    this.assembler =
        new LineAssembler(
            line -> session.line(line, Instant.now()),
            head -> session.line(head + "…(more than 256 bytes)", Instant.now()));
  }

  public SerialPortReader start() {
    thread = new Thread(this::run, "serial-" + Path.of(path).getFileName());
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  public String path() {
    return path;
  }

  /** How many times the port was opened (1 + reconnects). */
  public long opens() {
    return opens.get();
  }

  public boolean connected() {
    return connected;
  }

  public SerialSession session() {
    return session;
  }

  private void run() {
    byte[] buf = new byte[1024];
    while (running) {
      SerialPort port = null;
      try {
        if (!Files.exists(Path.of(path))) {
          sleep();
          continue;
        }
        port = SerialPort.getCommPort(path);
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 500, 0);
        if (!port.openPort()) {
          sleep();
          continue;
        }
        opens.incrementAndGet();
        connected = true;
        assembler.reset();
        session.portOpened();
        log.info("serial port {} open", path);
        while (running) {
          int n = port.readBytes(buf, buf.length);
          if (n < 0) {
            break; // the port is gone
          }
          if (n > 0) {
            assembler.feed(buf, n);
          } else if (!Files.exists(Path.of(path)) || !port.isOpen()) {
            break;
          }
        }
      } catch (RuntimeException e) {
        log.warn("serial port {}: {}", path, e.toString());
      } finally {
        connected = false;
        if (port != null && port.isOpen()) {
          port.closePort();
          log.info("serial port {} closed; retrying every {}", path, retry);
        }
      }
      sleep();
    }
  }

  private void sleep() {
    try {
      Thread.sleep(retry.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
