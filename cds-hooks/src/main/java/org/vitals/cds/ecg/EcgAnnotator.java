package org.vitals.cds.ecg;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.vitals.cds.clinical.Codes;
import org.vitals.cds.config.CdsProperties;
import org.vitals.cds.fhir.FhirClients;
import org.vitals.cds.fhir.FhirServerToken;
import org.vitals.inference.ecg.EcgAnalysis;
import org.vitals.inference.ecg.EcgAnalyzer;
import org.vitals.inference.ecg.OnnxBeatClassifier;

/**
 * Annotates each new ECG strip (decision 0712): reads up to {@link #CONTEXT} of the directly
 * preceding strips of the same device, analyses them with the strip ({@link EcgAnalyzer}), and
 * writes one "ECG beat annotation" Observation for the strip (conditional create on an identifier
 * from the strip's id, so a redelivered strip never gets a second one) and creates or extends the
 * patient's AF episode Observation. A strip that cannot be analysed gets the annotation Observation
 * with the reason as {@code dataAbsentReason}: never a silent gap, never beats drawn from a signal
 * that had none. Called by the monitor on the patient's worker thread, so a patient's strips are
 * annotated one at a time, in the order they arrive.
 */
@Component
public class EcgAnnotator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EcgAnnotator.class);

  /** Preceding ECG analysed with a strip: the AF rule needs 15 s and ±16 beats of RR context. */
  public static final Duration CONTEXT = Duration.ofSeconds(50);

  /** An AF episode found within this gap of the patient's newest one continues it. */
  static final Duration CONTINUES_WITHIN = Duration.ofSeconds(3);

  /** What became of one strip. */
  public enum Outcome {
    ANNOTATED,
    NOT_ANALYSED,
    ALREADY_ANNOTATED,
    SKIPPED,
    FAILED
  }

  private final IGenericClient fhir;
  private final boolean enabled;
  private final EcgAnalyzer analyzer;
  private final String modelId;
  private final String unavailable;
  private volatile String deviceRef;
  private final Map<Outcome, AtomicLong> outcomes = new ConcurrentHashMap<>();

  /** Per patient: the newest AF episode we know is ongoing (id), or "" when none is. */
  private final Map<String, String> ongoing = new ConcurrentHashMap<>();

  public EcgAnnotator(
      CdsProperties props,
      FhirClients clients,
      FhirServerToken token,
      @Value("${vitals.cds.monitor.ecg-annotations:true}") boolean enabled) {
    this.fhir = clients.client(props.fhirUrl(), token);
    this.enabled = enabled && props.monitor().enabled(); // the monitor delivers the strips
    EcgAnalyzer a = null;
    String id = "unknown";
    String why = null;
    if (enabled) {
      try {
        a = EcgAnalyzer.withDefaultModel();
        id = modelId();
      } catch (RuntimeException | IOException e) {
        why = e.getMessage();
        log.error("ECG beat classifier could not be loaded; strips are not annotated: {}", why);
      }
    }
    this.analyzer = a;
    this.modelId = id;
    this.unavailable = why;
  }

  /** The first 12 hex digits of the shipped model's SHA-256: its version in the annotations. */
  static String modelId() throws IOException {
    try (InputStream in =
        OnnxBeatClassifier.class.getResourceAsStream(
            OnnxBeatClassifier.DEFAULT_RESOURCE + ".onnx")) {
      if (in == null) {
        throw new IOException("the ECG model is not on the class path");
      }
      return OnnxBeatClassifier.sha256(in.readAllBytes()).substring(0, 12);
    }
  }

  /** True when strips are annotated (setting on and model loaded). */
  public boolean active() {
    return enabled && analyzer != null;
  }

  /** Strips per outcome so far (tests, metrics). */
  public long count(Outcome o) {
    AtomicLong n = outcomes.get(o);
    return n == null ? 0 : n.get();
  }

  /** Annotates one delivered strip of {@code patient}. */
  public Outcome onStrip(String patient, Observation strip) {
    Outcome out;
    try {
      out = annotate(patient, strip);
    } catch (RuntimeException e) {
      // Not written: the strip stays without an annotation and is found again on the next
      // catch-up (the annotation's absence is what a reader sees, not a wrong one).
      log.warn(
          "ECG strip Observation/{} could not be annotated: {}",
          strip.getIdElement().getIdPart(),
          e.toString());
      out = Outcome.FAILED;
    }
    outcomes.computeIfAbsent(out, k -> new AtomicLong()).incrementAndGet();
    return out;
  }

  private Outcome annotate(String patient, Observation strip) {
    if (!active() || StripSignal.withdrawn(strip) || !strip.getIdElement().hasIdPart()) {
      return Outcome.SKIPPED;
    }
    String stripId = strip.getIdElement().getIdPart();
    if (annotated(stripId)) {
      return Outcome.ALREADY_ANNOTATED;
    }
    Instant now = Instant.now();
    String device = device();
    StripSignal.Decoded d = StripSignal.decode(strip);
    if (!d.ok()) {
      Instant start = StripSignal.start(strip).orElse(null);
      Instant end =
          strip.hasEffectivePeriod() && strip.getEffectivePeriod().hasEnd()
              ? strip.getEffectivePeriod().getEnd().toInstant()
              : null;
      if (start == null) {
        log.warn("ECG strip Observation/{} has no time: not annotated ({})", stripId, d.problem());
        return Outcome.SKIPPED; // an annotation needs a time to be found by
      }
      write(
          EcgAnnotationResources.notAnalysed(
              patient, null, stripId, start, end, d.problem(), device, modelId, now));
      log.info("ECG strip Observation/{} not analysed: {}", stripId, d.problem());
      return Outcome.NOT_ANALYSED;
    }
    StripSignal target = d.strip();
    AnalysisWindow w = AnalysisWindow.of(target, context(patient, target), CONTEXT);
    String problem = null;
    EcgAnalysis a = null;
    if (target.noValueCount() * 2 > target.millivolts().length) {
      problem = "more than half of the strip's samples have no value (E, L or U)";
    } else {
      try {
        a = analyzer.analyze(new double[][] {w.signal()}, w.fs());
        problem = a.insufficientData().orElse(null);
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
    }
    if (problem != null) {
      write(
          EcgAnnotationResources.notAnalysed(
              patient, target, stripId, null, null, problem, device, modelId, now));
      log.info("ECG strip Observation/{} not analysed: {}", stripId, problem);
      return Outcome.NOT_ANALYSED;
    }
    StripAnnotation annotation = StripAnnotation.of(w, a);
    // Episodes first: if writing them fails, no annotation exists and a redelivery redoes both
    // (extending an episode is idempotent); once the annotation exists the strip is done.
    episodes(patient, target, annotation, device, now);
    write(EcgAnnotationResources.analysis(patient, target, annotation, device, modelId, now));
    return Outcome.ANNOTATED;
  }

  private boolean annotated(String stripId) {
    Bundle b =
        fhir.search()
            .byUrl(
                "Observation?identifier="
                    + EcgCodes.ANALYSIS_ID_SYSTEM
                    + "|"
                    + stripId
                    + "&_summary=count")
            .returnBundle(Bundle.class)
            .execute();
    return b.getTotal() > 0;
  }

  private void write(Observation o) {
    fhir.create()
        .resource(o)
        .conditional()
        .where(
            Observation.IDENTIFIER
                .exactly()
                .systemAndIdentifier(
                    o.getIdentifierFirstRep().getSystem(), o.getIdentifierFirstRep().getValue()))
        .execute();
  }

  /** The strips of the same patient that may precede {@code target} directly. */
  private List<StripSignal> context(String patient, StripSignal target) {
    Instant from = target.start().minus(CONTEXT).minusSeconds(11);
    Bundle b =
        patientSearch(
            patient,
            Codes.MDC + "|" + StripSignal.MDC_ECG_ELEC_POTL,
            "&date=ge" + from + "&date=lt" + target.start() + "&_sort=-date&_count=20");
    List<StripSignal> out = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : b.getEntry()) {
      if (e.getResource() instanceof Observation o && !StripSignal.withdrawn(o)) {
        StripSignal.Decoded d = StripSignal.decode(o);
        if (d.ok()) {
          out.add(d.strip());
        }
      }
    }
    return out;
  }

  /** Creates, extends or closes the patient's AF episode Observations for this strip. */
  private void episodes(
      String patient, StripSignal target, StripAnnotation a, String device, Instant now) {
    String known = ongoing.get(patient);
    if (a.episodes().isEmpty() && "".equals(known)) {
      return; // no AF here and none ongoing: nothing to read or write
    }
    Observation newest = newestEpisode(patient);
    for (int i = 0; i < a.episodes().size(); i++) {
      Instant onset = a.episodes().get(i)[0];
      Instant end = a.episodes().get(i)[1];
      boolean reachesEnd = a.episodeReachesEnd().get(i);
      Instant newestEnd = newest == null ? null : EcgAnnotationResources.episodeEnd(newest);
      if (newestEnd != null && !onset.isAfter(newestEnd.plus(CONTINUES_WITHIN))) {
        if (EcgAnnotationResources.extend(newest, end, reachesEnd, target.id())) {
          update(newest, end, reachesEnd, target.id());
        }
      } else {
        Observation ep =
            EcgAnnotationResources.afEpisode(
                patient, onset, end, reachesEnd, target.id(), device, modelId, now);
        MethodOutcome out =
            fhir.create()
                .resource(ep)
                .conditional()
                .where(
                    Observation.IDENTIFIER
                        .exactly()
                        .systemAndIdentifier(
                            EcgCodes.AF_EPISODE_ID_SYSTEM, ep.getIdentifierFirstRep().getValue()))
                .execute();
        ep.setId(out.getId());
        newest = ep;
        log.info(
            "AF episode Observation/{} opened for Patient/{}", out.getId().getIdPart(), patient);
      }
    }
    boolean open =
        newest != null && newest.getStatus() == Observation.ObservationStatus.PRELIMINARY;
    if (a.episodes().isEmpty() && open) {
      // The strip after an ongoing episode shows no AF: the episode has ended.
      Instant end = EcgAnnotationResources.episodeEnd(newest);
      EcgAnnotationResources.extend(newest, end, false, target.id());
      update(newest, end, false, target.id());
      open = false;
    }
    ongoing.put(patient, open ? newest.getIdElement().getIdPart() : "");
  }

  private Observation newestEpisode(String patient) {
    Bundle b =
        patientSearch(patient, Codes.LOINC + "|" + EcgCodes.LOINC_RHYTHM, "&_sort=-date&_count=10");
    // The server indexes no value-concept: the rhythm's value is checked here.
    for (Bundle.BundleEntryComponent e : b.getEntry()) {
      if (e.getResource() instanceof Observation o && EcgAnnotationResources.isAf(o)) {
        return o;
      }
    }
    return null;
  }

  /** {@code Observation?subject=Patient/{patient}&code={code}{more}}. */
  private Bundle patientSearch(String patient, String code, String more) {
    return fhir.search()
        .byUrl("Observation?subject=Patient/" + patient + "&code=" + code + more)
        .returnBundle(Bundle.class)
        .execute();
  }

  /** Writes an episode with If-Match; a conflicting write is re-read and the change re-applied. */
  private void update(Observation episode, Instant end, boolean ongoing, String stripId) {
    Observation current = episode;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        fhir.update().resource(current).withId(current.getIdElement()).execute();
        return;
      } catch (PreconditionFailedException | ResourceVersionConflictException conflict) {
        current =
            fhir.read()
                .resource(Observation.class)
                .withId(current.getIdElement().toUnqualifiedVersionless())
                .execute();
        EcgAnnotationResources.extend(current, end, ongoing, stripId);
      }
    }
    throw new IllegalStateException(
        "AF episode " + episode.getIdElement().getIdPart() + " kept changing under us");
  }

  /** The analyser's Device, created once per model version. */
  private String device() {
    if (deviceRef == null) {
      Device d = EcgAnnotationResources.analyzerDevice(modelId);
      MethodOutcome out =
          fhir.create()
              .resource(d)
              .conditional()
              .where(
                  Device.IDENTIFIER
                      .exactly()
                      .systemAndIdentifier(
                          EcgCodes.DEVICE_ID_SYSTEM, d.getIdentifierFirstRep().getValue()))
              .execute();
      deviceRef = "Device/" + out.getId().getIdPart();
    }
    return deviceRef;
  }

  /** Why annotation is off, or null. */
  public String unavailable() {
    return unavailable;
  }

  @Override
  public void close() {
    if (analyzer != null) {
      analyzer.close();
    }
  }
}
