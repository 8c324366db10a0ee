package org.vitals.gateway.writing;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.identity.DeviceDirectory;
import org.vitals.gateway.identity.DeviceIdentity;
import org.vitals.gateway.mapping.MappingContext;
import org.vitals.gateway.mapping.ObservationMapper;
import org.vitals.gateway.mapping.TemplateSet;
import org.vitals.gateway.measurement.Measurement;

/**
 * Writes one batch: resolves devices and assignments (one search), maps every measurement, and
 * writes all Observations in one FHIR transaction with conditional create on the reading identity.
 * Server or network failures, and refused access (401/403: the gateway's token or scopes, never the
 * readings' fault), are retried with backoff until they succeed; a transaction the server rejects
 * otherwise (4xx) is split so that only the offending readings are dead-lettered.
 */
public class FhirBatchWriter {
  private static final Logger log = LoggerFactory.getLogger(FhirBatchWriter.class);

  private final IGenericClient fhir;
  private final DeviceDirectory directory;
  private final Supplier<TemplateSet> templates;
  private final DeadLetters deadLetters;
  private final GatewayMetrics metrics;
  private final Duration maxBackoff;
  private volatile boolean stopping;

  /** Where readings that cannot be written go (the dead-letter store plus metrics). */
  public interface DeadLetters {
    void add(PendingMeasurement p, DeadLetterReason reason, String detail);
  }

  public FhirBatchWriter(
      IGenericClient fhir,
      DeviceDirectory directory,
      Supplier<TemplateSet> templates,
      DeadLetters deadLetters,
      GatewayMetrics metrics,
      Duration maxBackoff) {
    this.fhir = fhir;
    this.directory = directory;
    this.templates = templates;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.maxBackoff = maxBackoff;
  }

  public void stop() {
    stopping = true;
  }

  /** Writes the batch, retrying while the FHIR server is unreachable; settles every reading. */
  public void write(List<PendingMeasurement> batch) {
    metrics.batchSize.record(batch.size());
    long backoff = 100;
    while (true) {
      try {
        attempt(batch);
        return;
      } catch (FhirUnavailableException e) {
        if (stopping) {
          throw e; // leave the readings unacknowledged: the broker redelivers them
        }
        metrics.fhirRetries.increment();
        log.warn(
            "FHIR server unavailable ({}); retrying {} readings in {} ms",
            e.getMessage(),
            batch.size(),
            backoff);
        sleep(backoff);
        backoff = Math.min(backoff * 2, maxBackoff.toMillis());
      }
    }
  }

  private void attempt(List<PendingMeasurement> batch) {
    Set<String> deviceIds = new HashSet<>();
    Set<String> gatewayIds = new HashSet<>();
    long lastReceived = batch.get(0).enqueuedNanos();
    for (PendingMeasurement p : batch) {
      deviceIds.add(p.measurement().deviceId());
      gatewayIds.add(p.measurement().gatewayId());
      lastReceived = p.enqueuedNanos() - lastReceived > 0 ? p.enqueuedNanos() : lastReceived;
    }
    Map<String, DeviceIdentity> devices;
    Map<String, String> gateways;
    long t0 = System.nanoTime();
    try {
      // Assignments as of a check that started after the batch's last reading was received.
      devices = directory.devices(deviceIds, lastReceived);
      gateways = directory.gateways(gatewayIds);
    } catch (RuntimeException e) {
      throw unavailable(e);
    }
    metrics.resolveTime.record(Duration.ofNanos(System.nanoTime() - t0));

    long t1 = System.nanoTime();
    TemplateSet tpl = templates.get();
    // Same identity twice in a batch (a redelivery racing the original): one entry, both settle.
    Map<String, List<PendingMeasurement>> byIdentity = new LinkedHashMap<>();
    Map<String, Observation> observations = new LinkedHashMap<>();
    for (PendingMeasurement p : batch) {
      Measurement m = p.measurement();
      if (byIdentity.containsKey(m.identity())) {
        byIdentity.get(m.identity()).add(p);
        continue;
      }
      DeviceIdentity device = devices.get(m.deviceId());
      // A message that names its patient (HL7 v2 PID) wins over the device assignment.
      String named = p.tickets().isEmpty() ? null : p.tickets().get(0).subject();
      var patient = named != null ? java.util.Optional.of(named) : device.patientAt(m.time());
      if (patient.isEmpty()) {
        deadLetters.add(
            p,
            DeadLetterReason.UNASSIGNED_DEVICE,
            "device '"
                + m.deviceId()
                + "' ("
                + device.reference()
                + ") has no patient assigned at "
                + m.time());
        p.settle();
        continue;
      }
      try {
        observations.put(
            m.identity(),
            ObservationMapper.map(
                m,
                tpl,
                new MappingContext(
                    patient.get(), device.reference(), gateways.get(m.gatewayId()))));
        byIdentity.put(m.identity(), new ArrayList<>(List.of(p)));
        metrics.mapped.increment();
      } catch (ReadingRejectedException e) {
        deadLetters.add(p, e.reason(), e.getMessage());
        p.settle();
      } catch (RuntimeException e) {
        deadLetters.add(
            p,
            DeadLetterReason.MAPPING_FAILED,
            "template for '" + m.metric().wireName() + "' failed: " + e);
        p.settle();
      }
    }
    metrics.mapTime.record(Duration.ofNanos(System.nanoTime() - t1));
    if (observations.isEmpty()) {
      return;
    }
    long t2 = System.nanoTime();
    try {
      transaction(new ArrayList<>(observations.values()));
      metrics.writeTime.record(Duration.ofNanos(System.nanoTime() - t2));
      committed(byIdentity.values());
    } catch (BaseServerResponseException e) {
      if (e.getStatusCode() >= 500 || e.getStatusCode() == 429 || e.getStatusCode() == 408) {
        throw unavailable(e);
      }
      if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
        // The gateway's access, not the readings: retried (and logged) until it is fixed.
        throw unavailable(
            new IllegalStateException(
                "FHIR server refused the gateway's access ("
                    + e.getStatusCode()
                    + ": "
                    + outcome(e)
                    + "); check VITALS_FHIR_CLIENT_ID, VITALS_FHIR_CLIENT_KEY and the client's"
                    + " scopes",
                e));
      }
      log.warn(
          "FHIR rejected a transaction of {} ({}); writing its entries one by one",
          observations.size(),
          e.getStatusCode());
      for (var entry : observations.entrySet()) {
        List<PendingMeasurement> ps = byIdentity.get(entry.getKey());
        try {
          transaction(List.of(entry.getValue()));
          committed(List.of(ps));
        } catch (BaseServerResponseException one) {
          if (one.getStatusCode() >= 500
              || one.getStatusCode() == 429
              || one.getStatusCode() == 401
              || one.getStatusCode() == 403) {
            throw unavailable(one);
          }
          for (PendingMeasurement p : ps) {
            deadLetters.add(
                p,
                DeadLetterReason.FHIR_REJECTED,
                "HTTP " + one.getStatusCode() + ": " + outcome(one));
            p.settle();
          }
        } catch (RuntimeException other) {
          throw unavailable(other);
        }
      }
    } catch (RuntimeException e) {
      throw unavailable(e);
    }
  }

  /**
   * Writes prepared Observations (minute summaries) by conditional create on their identifier, in
   * transactions of up to 200, retrying while the server is unavailable; returns those the server
   * rejected (4xx), each tried on its own.
   */
  public List<Observation> writePrepared(List<Observation> observations) {
    List<Observation> rejected = new ArrayList<>();
    for (int from = 0; from < observations.size(); from += 200) {
      List<Observation> chunk =
          observations.subList(from, Math.min(observations.size(), from + 200));
      long backoff = 100;
      while (true) {
        try {
          rejected.addAll(attemptPrepared(chunk));
          break;
        } catch (FhirUnavailableException e) {
          if (stopping) {
            throw e; // the minute's journal stays; written after the restart
          }
          metrics.fhirRetries.increment();
          log.warn(
              "FHIR server unavailable ({}); retrying {} summaries", e.getMessage(), chunk.size());
          sleep(backoff);
          backoff = Math.min(backoff * 2, maxBackoff.toMillis());
        }
      }
    }
    return rejected;
  }

  private List<Observation> attemptPrepared(List<Observation> chunk) {
    try {
      transaction(chunk);
      return List.of();
    } catch (BaseServerResponseException e) {
      if (retryable(e)) {
        throw unavailable(e);
      }
      List<Observation> rejected = new ArrayList<>();
      for (Observation o : chunk) {
        try {
          transaction(List.of(o));
        } catch (BaseServerResponseException one) {
          if (retryable(one)) {
            throw unavailable(one);
          }
          log.warn(
              "FHIR rejected summary {}: HTTP {} {}",
              o.getIdentifierFirstRep().getValue(),
              one.getStatusCode(),
              outcome(one));
          rejected.add(o);
        } catch (RuntimeException other) {
          throw unavailable(other);
        }
      }
      return rejected;
    } catch (RuntimeException e) {
      throw unavailable(e);
    }
  }

  private static boolean retryable(BaseServerResponseException e) {
    int s = e.getStatusCode();
    return s >= 500 || s == 429 || s == 408 || s == 401 || s == 403;
  }

  private void committed(java.util.Collection<List<PendingMeasurement>> groups) {
    Instant now = Instant.now();
    for (List<PendingMeasurement> ps : groups) {
      for (PendingMeasurement p : ps) {
        metrics.written.increment();
        for (Ticket t : p.tickets()) {
          metrics.commitLatency.record(Duration.between(t.receivedAt(), now));
        }
        Instant measured =
            p.measurement().end() != null ? p.measurement().end() : p.measurement().time();
        metrics.readingAge.record(
            Duration.between(measured, now).isNegative()
                ? Duration.ZERO
                : Duration.between(measured, now));
        p.settle();
      }
    }
  }

  /**
   * The transaction the gateway sends for these Observations: one conditional create on each one's
   * first identifier (also what the benchmark sends as the server's own ingest).
   */
  public static Bundle transactionOf(List<Observation> observations) {
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (Observation o : observations) {
      var identifier = o.getIdentifierFirstRep();
      tx.addEntry()
          .setFullUrl("urn:uuid:" + java.util.UUID.randomUUID())
          .setResource(o)
          .getRequest()
          .setMethod(Bundle.HTTPVerb.POST)
          .setUrl("Observation")
          .setIfNoneExist("identifier=" + identifier.getSystem() + "|" + identifier.getValue());
    }
    return tx;
  }

  private void transaction(List<Observation> observations) {
    Bundle tx = transactionOf(observations);
    // Sent and answered as text: only the entries' statuses are needed, which Jackson reads at a
    // fraction of what HAPI's parser spends building the response Bundle (the gateway's profile,
    // docs/benchmarks.md). Errors still come back as BaseServerResponseException with the
    // OperationOutcome.
    // Our own writer for the gateway's shapes (decision 0215); HAPI's for anything else.
    String body = ObservationJson.transaction(tx);
    if (body == null) {
      body = fhir.getFhirContext().newJsonParser().encodeResourceToString(tx);
    }
    String resp = fhir.transaction().withBundle(body).execute();
    metrics.duplicates.increment(existingEntries(resp));
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** How many entries of a transaction-response Bundle say 200 (the resource already existed). */
  static int existingEntries(String transactionResponse) {
    try {
      int n = 0;
      for (var e : JSON.readTree(transactionResponse).path("entry")) {
        if (e.path("response").path("status").asText("").startsWith("200")) {
          n++;
        }
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // Committed all the same (the server answered 2xx): only the duplicate count is lost.
      log.warn("transaction response is not JSON: {}", e.getOriginalMessage());
      return 0;
    }
  }

  private static String outcome(BaseServerResponseException e) {
    if (e.getOperationOutcome() instanceof org.hl7.fhir.r4.model.OperationOutcome oo) {
      StringBuilder sb = new StringBuilder();
      for (var issue : oo.getIssue()) {
        if (issue.getSeverity() == org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.ERROR
            || issue.getSeverity() == org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.FATAL) {
          sb.append(issue.getDiagnostics()).append("; ");
        }
      }
      if (!sb.isEmpty()) {
        return sb.toString();
      }
    }
    return e.getMessage();
  }

  private static FhirUnavailableException unavailable(Exception e) {
    return e instanceof FhirUnavailableException f ? f : new FhirUnavailableException(e);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FhirUnavailableException(e);
    }
  }

  /** The FHIR server could not be reached or failed (5xx): the batch is retried. */
  public static class FhirUnavailableException extends RuntimeException {
    FhirUnavailableException(Exception cause) {
      super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }
  }
}
