package org.vitals.gateway.ingest.hl7;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.writing.ReadingPipeline;
import org.vitals.gateway.writing.Ticket;

/**
 * One HL7 v2 message to its ACK: duplicate check on MSH-10, ORU parse, patient from PID-3.1, the
 * shared pipeline, and {@code AA} only once every reading is committed to FHIR. Rejections are
 * dead-lettered with the original message and answered {@code AE} / {@code AR} with ERR segments.
 */
public class Hl7Ingest {
  private static final Logger log = LoggerFactory.getLogger(Hl7Ingest.class);

  private final OruReader reader;
  private final PatientLookup patients;
  private final Hl7MessageLog messages;
  private final ReadingPipeline pipeline;
  private final Duration commitTimeout;

  public Hl7Ingest(
      OruReader reader,
      PatientLookup patients,
      Hl7MessageLog messages,
      ReadingPipeline pipeline,
      Duration commitTimeout) {
    this.reader = reader;
    this.patients = patients;
    this.messages = messages;
    this.pipeline = pipeline;
    this.commitTimeout = commitTimeout;
  }

  /** Handles one MLLP payload and returns the ACK to send (never throws). */
  public String handle(byte[] payload, Instant receivedAt) {
    String text = new String(payload, StandardCharsets.UTF_8);
    Hl7Header h = Hl7Header.of(OruReader.normaliseSegments(text));
    String key = h.sendingApplication() + "|" + h.sendingFacility() + "|" + h.controlId();
    try {
      if (h.controlId() != null) {
        var prior = messages.ack(key);
        if (prior.isPresent()) {
          log.info(
              "HL7 message {} already accepted; acknowledged again without writing", h.controlId());
          return prior.get();
        }
      }
    } catch (RuntimeException e) {
      return Ack.build(
          h,
          "AE",
          "duplicate check failed; resend",
          List.of(new Ack.Error("207", "", e.toString())));
    }
    CompletableFuture<Void> settled = new CompletableFuture<>();
    Ticket ticket =
        new Ticket(
            "hl7",
            "hl7:" + (h.sendingApplication() == null ? "" : h.sendingApplication()),
            payload,
            receivedAt,
            () -> settled.complete(null));
    OruReader.Oru oru;
    try {
      oru = reader.read(text, receivedAt);
      PatientLookup.Result p = patients.find(oru.patientId());
      if (p.reference() == null) {
        throw new Hl7RejectedException(
            "AE",
            "204",
            "PID-3",
            DeadLetterReason.UNKNOWN_PATIENT,
            (p.matches() == 0
                    ? "unknown patient: no Patient has identifier "
                    : "ambiguous patient: several Patients have identifier ")
                + "'"
                + oru.patientId()
                + "'"
                + (patients.system() == null ? "" : " in system " + patients.system()));
      }
      ticket.subject(p.reference());
    } catch (Hl7RejectedException e) {
      pipeline.reject(ticket, e.reason(), e.getMessage());
      return Ack.build(
          h,
          e.ackCode(),
          e.getMessage(),
          List.of(new Ack.Error(e.errorCode(), e.location(), e.getMessage())));
    } catch (PatientLookup.UnavailableException e) {
      log.warn("HL7 message {}: patient lookup failed: {}", h.controlId(), e.getMessage());
      return Ack.build(
          h,
          "AE",
          "FHIR server unavailable; resend",
          List.of(new Ack.Error("207", "PID-3", "patient lookup failed: " + e.getMessage())));
    } catch (RuntimeException e) {
      log.warn("HL7 message {} failed: {}", h.controlId(), e.toString());
      pipeline.reject(ticket, DeadLetterReason.HL7_MALFORMED, e.toString());
      return Ack.build(
          h, "AR", "cannot process the message", List.of(new Ack.Error("207", "", e.toString())));
    }
    pipeline.submitNormalised(ticket, oru.measurements(), false);
    try {
      settled.get(commitTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Ack.build(
          h,
          "AE",
          "not committed within " + commitTimeout.toSeconds() + " s; resend",
          List.of(
              new Ack.Error(
                  "207",
                  "",
                  "the FHIR server did not commit the readings in time; a resend is written at most once")));
    } catch (Exception e) {
      Thread.currentThread().interrupt();
      return Ack.build(
          h, "AE", "interrupted; resend", List.of(new Ack.Error("207", "", e.toString())));
    }
    List<String> rejected = ticket.rejections();
    if (!rejected.isEmpty()) {
      List<Ack.Error> errors = new ArrayList<>();
      for (String r : rejected) {
        errors.add(new Ack.Error("207", "OBX", r));
      }
      return Ack.build(
          h,
          "AE",
          rejected.size() + " of " + oru.measurements().size() + " readings rejected",
          errors);
    }
    String ack =
        Ack.build(
            h,
            "AA",
            oru.ignored().isEmpty()
                ? ""
                : "ignored rows with unmapped codes: " + String.join(", ", oru.ignored()),
            List.of());
    messages.accepted(key, ack);
    return ack;
  }
}
