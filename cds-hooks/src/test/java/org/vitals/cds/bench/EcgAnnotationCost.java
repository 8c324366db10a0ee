package org.vitals.cds.bench;

import ca.uhn.fhir.context.FhirContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.Observation;
import org.vitals.cds.ecg.AnalysisWindow;
import org.vitals.cds.ecg.EcgAnnotationResources;
import org.vitals.cds.ecg.EcgAnnotator;
import org.vitals.cds.ecg.StripAnnotation;
import org.vitals.cds.ecg.StripSignal;
import org.vitals.cds.it.MitFixtureStrips;
import org.vitals.inference.ecg.EcgAnalysis;
import org.vitals.inference.ecg.EcgAnalyzer;

/**
 * CPU time of annotating one 10-s strip as the monitor does (decode, window with 50 s of context,
 * analysis, annotation, FHIR JSON of the annotation), in one thread, without the FHIR server (not a
 * test): record 201a's 25 strips (AF and sinus rhythm with APCs) at 360 Hz, repeated. Thread CPU
 * time does not depend on what else runs on the machine.
 *
 * <pre>
 *   EcgAnnotationCost [rounds]     (default 20, after 5 warm-up rounds)
 * </pre>
 */
public final class EcgAnnotationCost {

  private EcgAnnotationCost() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<Observation> obs =
        MitFixtureStrips.of("201a").strips("p1", Instant.parse("2026-01-08T19:00:00Z"), 30, 25);
    for (int i = 0; i < obs.size(); i++) {
      obs.get(i).setId("s" + i);
    }
    var json = FhirContext.forR4Cached().newJsonParser();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    try (EcgAnalyzer analyzer = EcgAnalyzer.withDefaultModel()) {
      long bytes = 0;
      long strips = 0;
      long cpu = 0;
      for (int r = 0; r < 5 + rounds; r++) {
        long c0 = mx.getCurrentThreadCpuTime();
        List<StripSignal> seen = new ArrayList<>();
        for (Observation o : obs) {
          StripSignal s = StripSignal.decode(o).strip();
          AnalysisWindow w = AnalysisWindow.of(s, seen, EcgAnnotator.CONTEXT);
          EcgAnalysis a = analyzer.analyze(new double[][] {w.signal()}, w.fs());
          Observation out =
              EcgAnnotationResources.analysis(
                  "p1", s, StripAnnotation.of(w, a), "Device/d", "bench", Instant.now());
          int size = json.encodeResourceToString(out).length();
          seen.add(s);
          if (r >= 5) {
            bytes += size;
            strips++;
          }
        }
        if (r >= 5) {
          cpu += mx.getCurrentThreadCpuTime() - c0;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "ECG annotation: %d strips, %.1f ms CPU per 10-s strip (50 s context), annotation %.1f kB"
              + " JSON per strip%n",
          strips,
          cpu / 1e6 / strips,
          bytes / 1024.0 / strips);
    }
  }
}
