package org.vitals.fhir.audit;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stores AuditEvents off the request path: requests hand their event to a bounded queue, one writer
 * thread stores them in batches of up to {@value #BATCH} per database transaction. When the queue
 * is full (the database cannot keep up) events are dropped and counted ({@code
 * vitals.audit.dropped}) rather than slowing clinical traffic.
 */
public class AuditTrail implements SmartLifecycle {

  static final int BATCH = 500;
  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

  private final BlockingQueue<AuditEvent> queue;
  private final IFhirSystemDao<Bundle, ?> systemDao;
  private final Counter dropped;
  private final Counter written;
  private final Counter failed;
  private volatile boolean running;
  private Thread writer;

  public AuditTrail(IFhirSystemDao<Bundle, ?> systemDao, MeterRegistry meters, int capacity) {
    this.systemDao = systemDao;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.dropped = meters.counter("vitals.audit.dropped");
    this.written = meters.counter("vitals.audit.written");
    this.failed = meters.counter("vitals.audit.failed");
  }

  public void record(AuditEvent event) {
    if (!queue.offer(event)) {
      dropped.increment();
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    writer = new Thread(this::drain, "audit-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (writer != null) {
      writer.interrupt();
      try {
        writer.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stop before the database and HAPI go away, so the last events get stored. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }

  private void drain() {
    List<AuditEvent> batch = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      try {
        AuditEvent first = queue.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        store(batch);
      } catch (InterruptedException e) {
        if (!running) {
          queue.drainTo(batch);
          store(batch);
          return;
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void store(List<AuditEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (AuditEvent event : events) {
      bundle
          .addEntry()
          .setResource(event)
          .getRequest()
          .setMethod(Bundle.HTTPVerb.POST)
          .setUrl("AuditEvent");
    }
    try {
      systemDao.transaction(new SystemRequestDetails(), bundle);
      written.increment(events.size());
    } catch (RuntimeException e) {
      failed.increment(events.size());
      // The exception text may quote resource content: log its type only.
      log.warn("could not store {} AuditEvents: {}", events.size(), e.getClass().getSimpleName());
    }
  }
}
