package org.vitals.cds.monitor;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vitals.cds.clinical.ClinicalContext;
import org.vitals.cds.clinical.Codes;
import org.vitals.cds.clinical.News2Assessment;
import org.vitals.cds.clinical.Reading;
import org.vitals.cds.config.CdsProperties;
import org.vitals.cds.ecg.EcgAnnotator;
import org.vitals.cds.ecg.StripSignal;
import org.vitals.cds.fhir.ClinicalContextMapper;
import org.vitals.cds.fhir.FhirClients;
import org.vitals.cds.fhir.FhirServerToken;
import org.vitals.cds.fhir.ObservationMapper;

/**
 * The continuous monitor: each vital-sign Observation the FHIR server delivers is added to its
 * patient's sustained values, NEWS2 is recomputed and written as a RiskAssessment (when the score
 * changes, or every {@code riskAssessmentEvery}), and the patient's {@link AlertLifecycle} decides
 * whether a DetectedIssue is raised, escalated, acknowledged or resolved. Work for one patient runs
 * in order on one of a few worker threads (chosen by patient), never in the HTTP thread; a clock
 * tick escalates unacknowledged alerts after re-reading them for an acknowledgement.
 */
@Component
public class Monitor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Monitor.class);
  private static final int WORKERS = 4;
  private static final Duration CONTEXT_REFRESH = Duration.ofMinutes(10);

  private final CdsProperties props;
  private final IGenericClient fhir;
  private final AlertLifecycle.Policy policy;
  private final ExecutorService[] workers = new ExecutorService[WORKERS];
  private final Map<String, PatientWatch> watches = new ConcurrentHashMap<>();
  private final AtomicLong evaluations = new AtomicLong();
  private final AtomicLong caughtUp = new AtomicLong();
  private final AtomicLong catchUps = new AtomicLong();
  private final Watermark watermark;
  private final DeliveryLedger ledger;
  private final AtomicLong replayed = new AtomicLong();
  private final Object catchUpLock = new Object();
  private final EcgAnnotator ecg;

  /**
   * The ECG strips the annotator reads (decision 0712): not vital signs, a Subscription of their
   * own.
   */
  public static final String ECG_STRIPS =
      "Observation?code=" + Codes.MDC + "|" + StripSignal.MDC_ECG_ELEC_POTL;

  /** Page size of the ECG strips' catch-up: a strip is some 15 kB. */
  static final int ECG_CATCH_UP_PAGE = 50;

  /** How far before the watermark a catch-up starts (writes committed out of order). */
  static final Duration CATCH_UP_OVERLAP = Duration.ofMinutes(1);

  /** Page size of the catch-up search, and the most pages one catch-up reads. */
  static final int CATCH_UP_PAGE = 500;

  static final int CATCH_UP_MAX_PAGES = 200;

  /** One patient's state. */
  static final class PatientWatch {
    final SustainedVitals vitals = new SustainedVitals();
    final AlertLifecycle alert;
    ClinicalContext context = ClinicalContext.unknown();
    Instant contextAt = Instant.EPOCH;
    String alertId;
    int acksAtNotify;
    Instant lastRiskAt;
    int lastRiskScore = -1;
    String lastRiskRef;

    PatientWatch(AlertLifecycle.Policy policy) {
      this.alert = new AlertLifecycle(policy);
    }
  }

  public Monitor(
      CdsProperties props, FhirClients clients, FhirServerToken token, EcgAnnotator ecg) {
    this.props = props;
    this.ecg = ecg;
    this.fhir = clients.client(props.fhirUrl(), token);
    CdsProperties.Monitor m = props.monitor();
    this.policy =
        new AlertLifecycle.Policy(
            m.ackTimeoutLowMedium(), m.ackTimeoutMedium(), m.ackTimeoutHigh(), m.resolveAfter());
    this.watermark =
        new Watermark(
            props.dataDir() == null || props.dataDir().isBlank()
                ? null
                : java.nio.file.Path.of(props.dataDir(), "monitor-watermark"));
    this.ledger = new DeliveryLedger(m.reconcileWindowOrDefault());
    for (int i = 0; i < WORKERS; i++) {
      int n = i;
      workers[i] =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "monitor-" + n);
                t.setDaemon(true);
                return t;
              });
    }
  }

  /** Evaluations done so far (metrics, tests). */
  public long evaluations() {
    return evaluations.get();
  }

  /** Observations queued by catch-ups so far (metrics, tests). */
  public long caughtUp() {
    return caughtUp.get();
  }

  /**
   * Catch-ups whose Observations are all queued so far (tests: one comes after each (re)connect,
   * once {@link MonitorSubscriptions#active} is already true).
   */
  public long catchUps() {
    return catchUps.get();
  }

  /** Observations replayed because the reconciliation found deliveries missing (tests, metrics). */
  public long replayed() {
    return replayed.get();
  }

  /** True when ECG strips are annotated (their Subscription is then registered). */
  public boolean annotatesEcg() {
    return ecg.active();
  }

  /** Queues a delivered resource (Observation or one of our DetectedIssues). */
  public void accept(Resource resource) {
    long received = System.nanoTime();
    Instant updated =
        resource instanceof Observation && resource.getMeta().getLastUpdated() != null
            ? resource.getMeta().getLastUpdated().toInstant()
            : null;
    if (resource instanceof Observation o && StripSignal.isStrip(o)) {
      acceptStrip(o, updated); // not a vital sign: kept out of the delivery ledger's counts
      return;
    }
    if (updated != null) {
      ledger.received(resource.getIdElement().getIdPart(), updated);
    }
    String patient = patientOf(resource);
    if (patient == null) {
      return;
    }
    queue(
        patient,
        updated,
        () -> {
          try {
            if (resource instanceof Observation o) {
              onObservation(patient, o, received);
            } else if (resource instanceof DetectedIssue d) {
              onAlertChanged(patient, d);
            }
          } catch (RuntimeException e) {
            log.warn(
                "monitor could not evaluate {} of Patient/{}: {}",
                resource.fhirType(),
                patient,
                e.toString());
          }
        });
  }

  /** Runs work on the patient's worker, holding the watermark until it is done. */
  private void queue(String patient, Instant updated, Runnable work) {
    watermark.begin(updated);
    worker(patient)
        .execute(
            () -> {
              try {
                work.run();
              } finally {
                watermark.done(updated);
              }
            });
  }

  /** Queues an ECG strip for annotation on its patient's worker, after its earlier strips. */
  private void acceptStrip(Observation strip, Instant updated) {
    String patient = patientOf(strip);
    if (patient == null || !ecg.active()) {
      return;
    }
    queue(patient, updated, () -> ecg.onStrip(patient, strip));
  }

  /**
   * Catches up with vital signs the monitor may have missed (decision 0706): while it was down,
   * while the FHIR server was restarting or unreachable, or when a notification was lost between a
   * commit and its matching. Searches {@code Observation?category=vital-signs} by {@code
   * _lastUpdated} from the durable watermark (or, without one, the newest NEWS2 RiskAssessment the
   * monitor wrote) less {@link #CATCH_UP_OVERLAP}, at most {@code catchUpMax} back, page by page,
   * and queues each Observation as if delivered. Idempotent: readings already held are not added
   * again, an open alert is continued (not raised again), and alerts and RiskAssessments are
   * created conditionally on their identifiers.
   *
   * @return the number of Observations queued
   */
  public int catchUp() {
    synchronized (catchUpLock) {
      return catchUpNow();
    }
  }

  private int catchUpNow() {
    Instant now = Instant.now();
    Instant floor = now.minus(props.monitor().catchUpMax());
    Optional<Instant> mark = watermark.value();
    String basis = "watermark";
    if (mark.isEmpty()) {
      mark = newestRiskAssessment();
      basis = "newest RiskAssessment";
    }
    Instant from = mark.map(t -> t.minus(CATCH_UP_OVERLAP)).orElse(floor);
    if (from.isBefore(floor)) {
      log.warn(
          "monitor catch-up: the {} ({}) is older than {}; catching up from {} only",
          basis,
          mark.get(),
          props.monitor().catchUpMax(),
          floor);
      from = floor;
    }
    ledger.checkFrom(from);
    watermark.begin(from); // hold the watermark until every page is queued
    int queued;
    try {
      queued = searchAndQueue("_lastUpdated=ge" + serverTime(from), "catch-up");
      if (ecg.active()) {
        int strips =
            searchAndQueue(
                ECG_STRIPS,
                "_lastUpdated=ge" + serverTime(from),
                ECG_CATCH_UP_PAGE,
                "ECG catch-up");
        log.info("monitor catch-up: {} ECG strips since {}", strips, from);
      }
    } finally {
      watermark.done(from);
    }
    caughtUp.addAndGet(queued);
    catchUps.incrementAndGet();
    log.info(
        "monitor catch-up: {} vital-sign Observations since {} ({} less {})",
        queued,
        from,
        mark.isPresent() ? basis : "no watermark: the bounded window",
        CATCH_UP_OVERLAP);
    return queued;
  }

  /** Queues every vital sign matching {@code lastUpdated} (a search parameter), page by page. */
  private int searchAndQueue(String lastUpdated, String what) {
    return searchAndQueue(MonitorSubscriptions.VITALS, lastUpdated, CATCH_UP_PAGE, what);
  }

  /** Queues every Observation of {@code criteria} matching {@code lastUpdated}, page by page. */
  private int searchAndQueue(String criteria, String lastUpdated, int pageSize, String what) {
    int queued = 0;
    Bundle b =
        fhir.search()
            .byUrl(criteria + "&" + lastUpdated + "&_sort=_lastUpdated&_count=" + pageSize)
            .returnBundle(Bundle.class)
            .execute();
    for (int page = 1; ; page++) {
      for (Bundle.BundleEntryComponent e : b.getEntry()) {
        if (e.getResource() instanceof Observation o) {
          accept(o);
          queued++;
        }
      }
      if (b.getLink(Bundle.LINK_NEXT) == null) {
        break;
      }
      if (page >= CATCH_UP_MAX_PAGES) {
        log.warn(
            "monitor {} stopped after {} Observations (limit); later ones follow by delivery",
            what,
            queued);
        break;
      }
      b = fhir.loadPage().next(b).execute();
    }
    return queued;
  }

  /**
   * Finds deliveries lost while the monitor runs (decision 0708): for each window of {@code
   * lastUpdated} time that has settled, counts the vital signs the FHIR server holds in it and,
   * when it holds more than the monitor received, replays the window (idempotent, as a catch-up). A
   * window the server cannot be asked about now stays due. Called by {@link MonitorSubscriptions}
   * while the Subscriptions are active.
   *
   * @return the Observations replayed
   */
  public int reconcile() {
    synchronized (catchUpLock) {
      Instant now = Instant.now();
      Instant floor = now.minus(props.monitor().catchUpMax());
      int queued = 0;
      for (DeliveryLedger.Window w :
          ledger.due(now.minus(props.monitor().reconcileSettleOrDefault()))) {
        if (w.end().isBefore(floor)) {
          ledger.checked(w.start()); // too old to say anything about the patient now
          continue;
        }
        String range =
            "_lastUpdated=ge" + serverTime(w.start()) + "&_lastUpdated=lt" + serverTime(w.end());
        Bundle count =
            fhir.search()
                .byUrl("Observation?category=vital-signs&" + range + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute();
        if (count.getTotal() > w.received()) {
          log.warn(
              "monitor reconciliation: the FHIR server holds {} vital signs last updated in [{},"
                  + " {}), {} were delivered; replaying the window",
              count.getTotal(),
              w.start(),
              w.end(),
              w.received());
          watermark.begin(w.start());
          try {
            int n = searchAndQueue(range, "reconciliation");
            queued += n;
            replayed.addAndGet(n);
          } finally {
            watermark.done(w.start());
          }
        }
        ledger.checked(w.start());
      }
      return queued;
    }
  }

  /** An instant as a FHIR instant with milliseconds, the precision of {@code meta.lastUpdated}. */
  static String serverTime(Instant t) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
        .withZone(java.time.ZoneOffset.UTC)
        .format(t);
  }

  private Optional<Instant> newestRiskAssessment() {
    Bundle b =
        fhir.search()
            .byUrl(
                "RiskAssessment?method="
                    + Codes.SNOMED
                    + "|1104051000000101&_sort=-_lastUpdated&_count=1")
            .returnBundle(Bundle.class)
            .execute();
    return b.getEntry().stream()
        .map(e -> e.getResource().getMeta().getLastUpdated())
        .filter(java.util.Objects::nonNull)
        .map(Date::toInstant)
        .findFirst();
  }

  /** Stores the watermark when it moved. */
  @Scheduled(fixedDelay = 1000)
  public void persistWatermark() {
    watermark.persist();
  }

  private ExecutorService worker(String patient) {
    return workers[Math.floorMod(patient.hashCode(), WORKERS)];
  }

  static String patientOf(Resource r) {
    String ref = null;
    if (r instanceof Observation o && o.hasSubject()) {
      ref = o.getSubject().getReference();
    } else if (r instanceof DetectedIssue d && d.hasPatient()) {
      ref = d.getPatient().getReference();
    }
    if (ref == null || !ref.contains("Patient/")) {
      return null;
    }
    return ref.substring(ref.indexOf("Patient/") + 8).replaceAll("/_history/.*$", "");
  }

  private void onObservation(String patient, Observation o, long received) {
    List<Reading> readings = ObservationMapper.readings(o);
    if (readings.isEmpty()) {
      return;
    }
    PatientWatch w = watches.get(patient);
    if (w == null) {
      w = new PatientWatch(policy);
      load(patient, w, readings.get(0).time());
      watches.put(patient, w);
    }
    Instant now = Instant.now();
    if (Duration.between(w.contextAt, now).compareTo(CONTEXT_REFRESH) > 0) {
      w.context = context(patient);
      w.contextAt = now;
    }
    readings.forEach(w.vitals::add);
    Instant at = w.vitals.newest().orElse(readings.get(0).time());
    News2Assessment a = News2Assessment.of(w.vitals.sustained(at, w.context), w.context);
    evaluations.incrementAndGet();
    if (!a.hasAnyMeasurement()) {
      return;
    }
    var change = w.alert.evaluate(a, at, now);
    boolean raised = change.isPresent() && change.get() == AlertLifecycle.Change.RAISED;
    if (raised) {
      // The alert first: it is what a clinician waits for; its RiskAssessment follows.
      raise(patient, w, a, received);
    }
    boolean riskDue =
        change.isPresent()
            || a.result().total() != w.lastRiskScore
            || w.lastRiskAt == null
            || !at.isBefore(w.lastRiskAt.plus(props.monitor().riskAssessmentEvery()));
    if (riskDue) {
      RiskAssessment ra = AlertResources.riskAssessment(patient, a, at);
      // Conditional on the identifier (patient and measurement time): a replay after a catch-up
      // finds the one already written.
      MethodOutcome out =
          fhir.create()
              .resource(ra)
              .conditional()
              .where(
                  RiskAssessment.IDENTIFIER
                      .exactly()
                      .systemAndIdentifier(
                          AlertResources.RISK_ID_SYSTEM, ra.getIdentifierFirstRep().getValue()))
              .execute();
      w.lastRiskRef = "RiskAssessment/" + out.getId().getIdPart();
      w.lastRiskAt = at;
      w.lastRiskScore = a.result().total();
    }
    if (change.isEmpty() || raised) {
      return;
    }
    update(patient, w, a, change.get());
  }

  private void raise(String patient, PatientWatch w, News2Assessment a, long received) {

    DetectedIssue d = AlertResources.newAlert(patient, w.alert);
    AlertResources.apply(d, w.alert, a, null);
    MethodOutcome out =
        fhir.create()
            .resource(d)
            .conditional()
            .where(
                DetectedIssue.IDENTIFIER
                    .exactly()
                    .systemAndIdentifier(
                        AlertResources.ALERT_ID_SYSTEM, d.getIdentifierFirstRep().getValue()))
            .execute();
    w.alertId = out.getId().getIdPart();
    w.acksAtNotify = 0;
    log.info(
        "alert raised: DetectedIssue/{} for Patient/{} level {}, {} ms after the delivery",
        w.alertId,
        patient,
        w.alert.level().number(),
        (System.nanoTime() - received) / 1_000_000);
  }

  /** Read-modify-write of the open alert, keeping what clinicians added (mitigations). */
  private void update(
      String patient, PatientWatch w, News2Assessment a, AlertLifecycle.Change change) {
    if (w.alertId == null) {
      return;
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      DetectedIssue d = fhir.read().resource(DetectedIssue.class).withId(w.alertId).execute();
      int acks = AlertResources.acknowledgements(d);
      if (change == AlertLifecycle.Change.UPDATED && acks > w.acksAtNotify) {
        w.alert.acknowledge();
      }
      if (change == AlertLifecycle.Change.ESCALATED) {
        w.acksAtNotify = acks;
      }
      AlertResources.apply(d, w.alert, a, w.lastRiskRef);
      try {
        fhir.update().resource(d).withId(d.getIdElement()).execute();
        log.info(
            "alert {} ({}): DetectedIssue/{} for Patient/{} level {}",
            change.name().toLowerCase(java.util.Locale.ROOT),
            w.alert.state().code(),
            w.alertId,
            patient,
            w.alert.level().number());
        if (!w.alert.state().open()) {
          w.alertId = null;
        }
        return;
      } catch (PreconditionFailedException | ResourceVersionConflictException conflict) {
        // A clinician wrote in between: read again and re-apply.
      }
    }
    log.warn("alert DetectedIssue/{} could not be updated after 5 attempts", w.alertId);
  }

  /** A DetectedIssue of ours changed: an acknowledgement stops escalation at once. */
  private void onAlertChanged(String patient, DetectedIssue d) {
    PatientWatch w = watches.get(patient);
    if (w == null || w.alertId == null || !w.alertId.equals(d.getIdElement().getIdPart())) {
      return;
    }
    if (AlertResources.acknowledgements(d) > w.acksAtNotify && w.alert.acknowledge().isPresent()) {
      update(patient, w, null, AlertLifecycle.Change.ACKNOWLEDGED);
    }
  }

  /** Escalates alerts left unacknowledged past their level's timeout. */
  @Scheduled(fixedDelay = 500)
  public void tick() {
    Instant now = Instant.now();
    for (Map.Entry<String, PatientWatch> e : watches.entrySet()) {
      PatientWatch w = e.getValue();
      if (w.alertId != null && w.alert.escalationDue(now)) {
        worker(e.getKey())
            .execute(
                () -> {
                  try {
                    escalateIfUnacknowledged(e.getKey(), w);
                  } catch (RuntimeException ex) {
                    log.warn(
                        "escalation check failed for Patient/{}: {}", e.getKey(), ex.toString());
                  }
                });
      }
    }
  }

  private void escalateIfUnacknowledged(String patient, PatientWatch w) {
    Instant now = Instant.now();
    if (w.alertId == null || !w.alert.escalationDue(now)) {
      return;
    }
    DetectedIssue d = fhir.read().resource(DetectedIssue.class).withId(w.alertId).execute();
    if (AlertResources.acknowledgements(d) > w.acksAtNotify) {
      w.alert.acknowledge();
      update(patient, w, null, AlertLifecycle.Change.ACKNOWLEDGED);
      return;
    }
    w.alert.escalateOnTimeout(now);
    update(patient, w, null, AlertLifecycle.Change.ESCALATED);
  }

  /** First sight of a patient: recent readings, context and any open alert. */
  private void load(String patient, PatientWatch w, Instant newest) {
    Instant from = newest.minus(SustainedVitals.KEEP_CONTINUOUS);
    List<Resource> recent = new ArrayList<>();
    recent.addAll(
        search(
            "Observation?subject=Patient/"
                + patient
                + "&category=vital-signs&date=ge"
                + from
                + "&_sort=-date&_count=500",
            1));
    recent.addAll(
        search(
            "Observation?subject=Patient/"
                + patient
                + "&code=http://loinc.org|8310-5,"
                + "http://loinc.org|85354-9,http://loinc.org|67775-7,http://loinc.org|3151-8,"
                + "http://loinc.org|3150-0&_sort=-date&_count=20",
            1));
    for (Resource r : recent) {
      if (r instanceof Observation o) {
        ObservationMapper.readings(o).forEach(w.vitals::add);
      }
    }
    w.context = context(patient);
    w.contextAt = Instant.now();
    for (Resource r :
        search(
            "DetectedIssue?patient=Patient/"
                + patient
                + "&code="
                + Codes.ALERT_KIND
                + "|"
                + AlertResources.NEWS2_ALERT
                + "&_tag="
                + Codes.ALERT_STATE
                + "|raised,"
                + Codes.ALERT_STATE
                + "|escalated,"
                + Codes.ALERT_STATE
                + "|acknowledged",
            1)) {
      if (r instanceof DetectedIssue d) {
        AlertLifecycle.State state = AlertLifecycle.State.RAISED;
        for (Coding t : d.getMeta().getTag()) {
          if (Codes.ALERT_STATE.equals(t.getSystem())) {
            state = AlertLifecycle.State.valueOf(t.getCode().toUpperCase(java.util.Locale.ROOT));
          }
        }
        int level =
            d.getExtensionByUrl(AlertResources.EXT_LEVEL) == null
                ? 1
                : ((IntegerType) d.getExtensionByUrl(AlertResources.EXT_LEVEL).getValue())
                    .getValue();
        int esc =
            d.getExtensionByUrl(AlertResources.EXT_ESCALATIONS) == null
                ? 0
                : ((IntegerType) d.getExtensionByUrl(AlertResources.EXT_ESCALATIONS).getValue())
                    .getValue();
        Date start = d.getIdentifiedPeriod().getStart();
        w.alert.restore(
            state,
            AlertLevel.values()[Math.max(0, Math.min(2, level - 1))],
            start == null ? Instant.now() : start.toInstant(),
            esc,
            Instant.now());
        w.alertId = d.getIdElement().getIdPart();
        w.acksAtNotify = AlertResources.acknowledgements(d);
      }
    }
  }

  private ClinicalContext context(String patient) {
    List<Condition> conditions = new ArrayList<>();
    List<MedicationStatement> statements = new ArrayList<>();
    List<MedicationRequest> requests = new ArrayList<>();
    try {
      search("Condition?patient=Patient/" + patient + "&clinical-status=active", 2)
          .forEach(
              r -> {
                if (r instanceof Condition c) conditions.add(c);
              });
      search("MedicationStatement?patient=Patient/" + patient + "&status=active", 2)
          .forEach(
              r -> {
                if (r instanceof MedicationStatement m) statements.add(m);
              });
      search("MedicationRequest?patient=Patient/" + patient + "&status=active", 2)
          .forEach(
              r -> {
                if (r instanceof MedicationRequest m) requests.add(m);
              });
      return ClinicalContextMapper.map(conditions, statements, requests);
    } catch (RuntimeException e) {
      log.warn("conditions/medications of Patient/{} unreadable: {}", patient, e.toString());
      return ClinicalContext.unknown();
    }
  }

  private List<Resource> search(String url, int maxPages) {
    List<Resource> out = new ArrayList<>();
    Bundle b = fhir.search().byUrl(url).returnBundle(Bundle.class).execute();
    for (int page = 0; ; page++) {
      b.getEntry()
          .forEach(
              e -> {
                if (e.hasResource()) out.add(e.getResource());
              });
      if (page + 1 >= maxPages || b.getLink(Bundle.LINK_NEXT) == null) {
        return out;
      }
      b = fhir.loadPage().next(b).execute();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (ExecutorService e : workers) {
      e.shutdown();
    }
    for (ExecutorService e : workers) {
      e.awaitTermination(5, TimeUnit.SECONDS);
    }
    watermark.persist();
  }
}
