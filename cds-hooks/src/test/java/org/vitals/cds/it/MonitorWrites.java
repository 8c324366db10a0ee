package org.vitals.cds.it;

import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Subscription;
import org.vitals.cds.clinical.Codes;
import org.vitals.cds.monitor.Monitor;

/** What the monitor tests and the alert benchmark write to and read from the FHIR server. */
public final class MonitorWrites {

  private MonitorWrites() {}

  /** A client for {@code base} that does not fetch the CapabilityStatement first. */
  public static IGenericClient client(String base) {
    FhirFixtures.FHIR
        .getRestfulClientFactory()
        .setServerValidationMode(ServerValidationModeEnum.NEVER);
    return FhirFixtures.FHIR.newRestfulGenericClient(base);
  }

  /** A patient with the devices the fixtures reference (the server checks references). */
  public static String newPatient(IGenericClient fhir, List<String> deviceKinds) {
    String p = fhir.create().resource(new Patient().setActive(true)).execute().getId().getIdPart();
    for (String kind : deviceKinds) {
      Device d = new Device();
      d.setId(kind + "-" + p);
      d.getPatient().setReference("Patient/" + p);
      fhir.update().resource(d).execute();
    }
    return p;
  }

  /** Writes one transaction with the given Observations. */
  public static void write(IGenericClient fhir, List<Observation> obs) {
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (Observation o : obs) {
      o.setId((String) null);
      tx.addEntry()
          .setResource(o)
          .getRequest()
          .setMethod(Bundle.HTTPVerb.POST)
          .setUrl("Observation");
    }
    fhir.transaction().withBundle(tx).execute();
  }

  /** One second of monitor readings. */
  public static List<Observation> tick(String p, Instant t, double hr, double spo2, double rr) {
    return new ArrayList<>(
        List.of(
            FhirFixtures.heartRate(p, t, hr),
            FhirFixtures.spo2(p, t, spo2),
            FhirFixtures.respRate(p, t, rr)));
  }

  /** The patient's DetectedIssues. */
  public static List<DetectedIssue> alerts(IGenericClient fhir, String p) {
    Bundle b =
        fhir.search()
            .forResource(DetectedIssue.class)
            .where(DetectedIssue.PATIENT.hasId("Patient/" + p))
            .returnBundle(Bundle.class)
            .execute();
    List<DetectedIssue> out = new ArrayList<>();
    b.getEntry().forEach(e -> out.add((DetectedIssue) e.getResource()));
    return out;
  }

  /** The alert-state tag code. */
  public static String state(DetectedIssue d) {
    return d.getMeta().getTag().stream()
        .filter(t -> Codes.ALERT_STATE.equals(t.getSystem()))
        .map(Coding::getCode)
        .findFirst()
        .orElse("none");
  }

  /** A normal background: 20 s of readings (HR 75, SpO2 97, RR 15), temperature 37.0, BP 125/80. */
  public static List<Observation> background(String p, Instant start) {
    List<Observation> obs = new ArrayList<>();
    for (int s = 0; s < 20; s++) {
      obs.addAll(tick(p, start.plusSeconds(s), 75, 97, 15));
    }
    obs.add(FhirFixtures.temperature(p, start, 37.0));
    obs.add(FhirFixtures.bloodPressure(p, start, 125, 80));
    return obs;
  }

  /**
   * Waits until the monitor's first catch-up, which follows its Subscriptions becoming active, is
   * queued and evaluated: on the shared FHIR server it replays the readings of earlier test
   * classes, which must not count as evaluations of this class's own readings.
   */
  public static void awaitFirstCatchUpEvaluated(Monitor monitor) {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> monitor.catchUps() >= 1 && monitor.evaluations() >= monitor.caughtUp());
  }

  /**
   * Switches off the Subscriptions that deliver to {@code endpoint} (a stopped monitor's callback;
   * null: all of them), so that the server delivers nothing more there. Not deleted: AuditEvents
   * reference them.
   */
  public static void switchOffSubscriptions(IGenericClient fhir, String endpoint) {
    var search = fhir.search().forResource(Subscription.class);
    if (endpoint != null) {
      search = search.where(Subscription.URL.matches().value(endpoint));
    }
    Bundle subs = search.count(1000).returnBundle(Bundle.class).execute();
    for (Bundle.BundleEntryComponent e : subs.getEntry()) {
      Subscription sub = (Subscription) e.getResource();
      if ((endpoint == null || endpoint.equals(sub.getChannel().getEndpoint()))
          && sub.getStatus() != Subscription.SubscriptionStatus.OFF) {
        sub.setStatus(Subscription.SubscriptionStatus.OFF);
        fhir.update().resource(sub).execute();
      }
    }
  }
}
