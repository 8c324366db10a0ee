package org.vitals.gateway.writing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects measurements into batches of at most {@code size} readings, each closed at most {@code
 * maxWait} after its first reading arrived, and hands them to the writer on one thread. The queue
 * itself is unbounded and {@link #add} never blocks: what bounds it is that no reading is
 * acknowledged before its transaction commits, so a writer that is behind (or retrying) stops the
 * inputs at their own limit of unacknowledged messages (MQTT: the Receive Maximum,
 * VITALS_MQTT_RECEIVE_MAXIMUM) and the broker or device keeps the rest.
 */
public class ReadingBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReadingBatcher.class);

  private final BlockingQueue<PendingMeasurement> queue;
  private final int size;
  private final long maxWaitNanos;
  private final FhirBatchWriter writer;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  public ReadingBatcher(FhirBatchWriter writer, int size, Duration maxWait, int writers) {
    this.writer = writer;
    this.size = size;
    this.maxWaitNanos = maxWait.toNanos();
    this.queue = new LinkedBlockingQueue<>();
    for (int i = 0; i < writers; i++) {
      Thread t = new Thread(this::run, "fhir-batch-writer-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  public void add(PendingMeasurement p) {
    queue.add(p);
  }

  public FhirBatchWriter writer() {
    return writer;
  }

  public int queued() {
    return queue.size();
  }

  /** Readings queued or in a transaction that has not finished yet. */
  public int pending() {
    return queue.size() + inFlight.get();
  }

  private void run() {
    List<PendingMeasurement> batch = new ArrayList<>(size);
    while (running) {
      try {
        PendingMeasurement first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = first.enqueuedNanos() + maxWaitNanos;
        while (batch.size() < size) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            queue.drainTo(batch, size - batch.size());
            break;
          }
          PendingMeasurement next = queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        inFlight.addAndGet(batch.size());
        try {
          writer.write(batch);
        } finally {
          inFlight.addAndGet(-batch.size());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (running) {
          log.error(
              "batch of {} readings failed and stays unacknowledged: {}",
              batch.size(),
              e.toString());
        }
      } finally {
        batch = new ArrayList<>(size);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    writer.stop();
    threads.forEach(Thread::interrupt);
  }
}
