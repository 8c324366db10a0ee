package org.vitals.cds.bench;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Observation;
import org.vitals.cds.it.FhirFixtures;
import org.vitals.cds.it.MonitorWrites;

/**
 * End-to-end alert latency of the monitor (not a test): for each of N patients, a normal background
 * and then a deterioration (RR 26, SpO2 90, HR 125, T 38.6, BP 95/60) are written to the FHIR
 * server one second of readings per transaction; the reading that completes 15 s of SpO2 and pulse
 * is timed from the start of its write, and from the moment the FHIR server acknowledged it, to the
 * first search that finds the patient's DetectedIssue (polled every 10 ms). Patients run one after
 * the other, so each figure is one alert on an otherwise idle monitor. Loopback only.
 *
 * <pre>
 *   FHIR_BASE [patients]      e.g. http://127.0.0.1:18080/fhir 20
 * </pre>
 */
public final class AlertLatency {

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: FHIR_BASE [patients]");
      System.exit(2);
    }
    String base = args[0].replaceAll("/+$", "");
    int patients = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    if (patients < 1 || patients > 200) {
      throw new IllegalArgumentException("bounded: 1 to 200 patients");
    }
    if (!URI.create(base).getHost().matches("127\\.\\d+\\.\\d+\\.\\d+|localhost|\\[::1]")) {
      throw new IllegalArgumentException("loopback only: " + base);
    }
    IGenericClient fhir = MonitorWrites.client(base);
    long[] fromStart = new long[patients];
    long[] fromAck = new long[patients];
    int timeouts = 0;
    for (int i = 0; i < patients; i++) {
      String p = MonitorWrites.newPatient(fhir, List.of("monitor", "thermo", "cuff"));
      Instant t = Instant.now().minusSeconds(60);
      write(fhir, MonitorWrites.background(p, t));
      t = t.plusSeconds(20);
      List<Observation> first = tick(p, t, 125, 90, 26);
      first.add(FhirFixtures.temperature(p, t, 38.6));
      first.add(FhirFixtures.bloodPressure(p, t, 95, 60));
      write(fhir, first);
      for (int s = 1; s < 15; s++) {
        write(fhir, tick(p, t.plusSeconds(s), 125, 90, 26));
      }
      Thread.sleep(1500); // let the monitor drain the earlier seconds
      if (!alerts(fhir, p).isEmpty()) {
        throw new IllegalStateException("alert before the condition was sustained: Patient/" + p);
      }
      long start = System.nanoTime();
      write(fhir, tick(p, t.plusSeconds(15), 125, 90, 26));
      long acked = System.nanoTime();
      long deadline = acked + 30_000_000_000L;
      while (alerts(fhir, p).isEmpty()) {
        if (System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(10);
      }
      long seen = System.nanoTime();
      if (seen > deadline) {
        timeouts++;
        fromStart[i] = fromAck[i] = Long.MAX_VALUE;
      } else {
        fromStart[i] = (seen - start) / 1000;
        fromAck[i] = (seen - acked) / 1000;
      }
      System.out.println(
          fromStart[i] == Long.MAX_VALUE
              ? String.format(Locale.ROOT, "patient %d: alert not seen within 30 s", i + 1)
              : String.format(
                  Locale.ROOT,
                  "patient %d: alert visible %.0f ms after the write started (%.0f ms after it was"
                      + " acknowledged)",
                  i + 1,
                  fromStart[i] / 1000.0,
                  fromAck[i] / 1000.0));
    }
    Arrays.sort(fromStart);
    Arrays.sort(fromAck);
    System.out.printf(
        Locale.ROOT,
        "alert end to end, %d patients, %d not seen within 30 s%n"
            + "  from write start: p50 %.0f  p90 %.0f  p99 %.0f  max %.0f ms%n"
            + "  from write acknowledged: p50 %.0f  p90 %.0f  p99 %.0f  max %.0f ms%n",
        patients,
        timeouts,
        PatientViewLoad.pct(fromStart, 50),
        PatientViewLoad.pct(fromStart, 90),
        PatientViewLoad.pct(fromStart, 99),
        fromStart[patients - 1] / 1000.0,
        PatientViewLoad.pct(fromAck, 50),
        PatientViewLoad.pct(fromAck, 90),
        PatientViewLoad.pct(fromAck, 99),
        fromAck[patients - 1] / 1000.0);
    System.exit(timeouts == 0 ? 0 : 1);
  }

  static List<Observation> tick(String p, Instant t, double hr, double spo2, double rr) {
    return MonitorWrites.tick(p, t, hr, spo2, rr);
  }

  static void write(IGenericClient fhir, List<Observation> obs) {
    MonitorWrites.write(fhir, obs);
  }

  static List<DetectedIssue> alerts(IGenericClient fhir, String p) {
    return MonitorWrites.alerts(fhir, p);
  }
}
