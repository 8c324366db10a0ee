package org.vitals.gateway.writing;

import java.util.List;
import org.vitals.gateway.measurement.Measurement;

/** A normalised measurement waiting for its FHIR transaction, with the tickets it settles. */
public record PendingMeasurement(
    Measurement measurement, List<Ticket> tickets, long enqueuedNanos) {
  public void settle() {
    tickets.forEach(Ticket::settle);
  }
}
