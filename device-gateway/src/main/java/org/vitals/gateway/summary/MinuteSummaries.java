package org.vitals.gateway.summary;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitals.gateway.identity.DeviceIdentity;
import org.vitals.gateway.mapping.MappingContext;
import org.vitals.gateway.mapping.TemplateSet;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.summary.NumericsSettings.Storage;
import org.vitals.gateway.summary.SummaryJournal.Line;
import org.vitals.gateway.writing.Ticket;

/**
 * One-minute summaries of continuous numerics, and the storage policy that decides which readings
 * are also stored as their own Observation (decision 0209).
 *
 * <p>A stream (device and metric) is continuous while its readings come at most 10 s apart. Every
 * valid scalar reading within the time window is journaled in its UTC minute (its message is
 * acknowledged once the journal line is on disk). {@code summaryGrace} after a minute ends, the
 * minute closes: for each stream with at least six valid readings (one per 10 s), or with any
 * reading that was not stored on its own, one summary Observation is written by conditional create,
 * then the journal file is deleted.
 *
 * <p>In minute-summary mode a reading is stored on its own too when it is not valid (no value or a
 * sensor status other than valid), abnormal (outside its normal range), a change (abnormal state or
 * status differs from the stream's previous reading, so a return to normal is seen), the first of a
 * stream (not yet continuous), or too late or too early for an open minute. Readings of a minute
 * that cannot go into its summary (device unassigned, another patient after a mid-minute
 * reassignment, a summary the server rejects) are then written on their own, or dead-lettered, from
 * the journal before the minute's file is deleted.
 */
public class MinuteSummaries implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MinuteSummaries.class);

  /** Readings at most this far apart make a continuous stream (IHE PCD DEC periodic, 0209). */
  public static final Duration CONTINUOUS_GAP = Duration.ofSeconds(10);

  /** One per 10 s: a stream-minute with fewer readings, all stored anyway, gets no summary. */
  public static final int MIN_READINGS = 6;

  /** Device clocks ahead of the gateway's by more than this: the reading is stored on its own. */
  public static final Duration FUTURE_TOLERANCE = Duration.ofSeconds(5);

  /**
   * The numerics with a vital-signs unit: the R4 vital-signs profile binds component quantities to
   * its vital-sign units, which have no mg/dL (glucose readings are always stored alone).
   */
  public static final java.util.Set<Metric> SUMMARISED =
      java.util.EnumSet.of(Metric.HR, Metric.PR, Metric.SPO2, Metric.RR, Metric.TEMP);

  /** Writes summary Observations (retrying while the server is unavailable); returns rejected. */
  public interface Writer {
    List<Observation> write(List<Observation> summaries);
  }

  /** Devices with their assignments, and gateway Device references (the DeviceDirectory). */
  public interface Directory {
    Map<String, DeviceIdentity> devices(Collection<String> deviceIds);

    Map<String, String> gateways(Collection<String> gatewayIds);
  }

  /** Stores readings on their own (or dead-letters them) and returns once all are settled. */
  public interface Individually {
    void storeAndWait(List<Line> lines);
  }

  private record StreamKey(String deviceId, Metric metric) {}

  private static final class StreamState {
    Instant lastTime;
    Boolean lastAbnormal;
    boolean lastValid;
    int lastBand;
    Instant lastStored;
    List<String> lastStatuses;
  }

  private static final class Minute {
    final Map<StreamKey, Map<String, Line>> streams = new HashMap<>();
    boolean closed;
  }

  private final Storage storage;
  private final Duration grace;
  private final Duration abnormalEvery;
  private final Duration spread;
  private final NormalRanges ranges;
  private final SummaryJournal journal;
  private final Directory directory;
  private final Supplier<TemplateSet> templates;
  private final Writer writer;
  private final Individually individually;
  private final Clock clock;
  private final Map<Long, Minute> minutes = new TreeMap<>();
  private final Map<StreamKey, StreamState> streams = new HashMap<>();
  private final Thread closer;
  private volatile boolean running = true;

  private final Counter summariesWritten;
  private final Counter summariesRejected;
  private final Counter summarisedOnly;
  private final Counter late;
  private final Timer latency;

  public MinuteSummaries(
      NumericsSettings settings,
      SummaryJournal journal,
      Directory directory,
      Supplier<TemplateSet> templates,
      Writer writer,
      Individually individually,
      MeterRegistry registry,
      Clock clock) {
    this.storage = settings.storageMode();
    this.grace = settings.summaryGrace();
    this.abnormalEvery = settings.abnormalEvery();
    this.spread = settings.summarySpread();
    this.ranges = new NormalRanges(settings.normal());
    this.journal = journal;
    this.directory = directory;
    this.templates = templates;
    this.writer = writer;
    this.individually = individually;
    this.clock = clock;
    summariesWritten =
        Counter.builder("vitals.gateway.summaries")
            .description("minute summaries committed")
            .register(registry);
    summariesRejected =
        Counter.builder("vitals.gateway.summaries.rejected")
            .description("minute summaries the FHIR server refused (their readings stored alone)")
            .register(registry);
    summarisedOnly =
        Counter.builder("vitals.gateway.readings")
            .tag("stage", "summarised-only")
            .register(registry);
    late =
        Counter.builder("vitals.gateway.readings.late")
            .description("readings outside an open minute, stored on their own")
            .register(registry);
    latency =
        Timer.builder("vitals.gateway.summary.latency")
            .description("from the end of a minute to its summaries' commit")
            .publishPercentiles(0.5, 0.99)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(100))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);
    for (var e : journal.recover().entrySet()) {
      Minute m = new Minute();
      for (Line l : e.getValue()) {
        m.streams
            .computeIfAbsent(
                new StreamKey(l.m().deviceId(), l.m().metric()), k -> new LinkedHashMap<>())
            .putIfAbsent(l.m().identity(), new Line(l.m(), l.stored(), null, null));
      }
      minutes.put(e.getKey(), m);
    }
    if (!minutes.isEmpty()) {
      log.info("summary journal: {} open minutes recovered", minutes.size());
    }
    closer =
        new Thread(
            () -> {
              while (running) {
                try {
                  Thread.sleep(1000);
                  closeDue();
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  log.warn("closing minute summaries failed, retried: {}", e.toString());
                }
              }
            },
            "minute-summaries");
    closer.setDaemon(true);
    closer.start();
  }

  public Storage storage() {
    return storage;
  }

  /**
   * Takes one reading: journals it for its minute's summary when it belongs there (then {@code
   * ticket} settles one more part once the journal is on disk) and says whether it must also be
   * stored as its own Observation.
   */
  public boolean offer(Measurement m, Ticket ticket) {
    if (!SUMMARISED.contains(m.metric()) || m.end() != null || m.waveform() != null) {
      return true;
    }
    boolean valid =
        m.value() != null
            && m.dataAbsentReason() == null
            && m.statuses().stream().allMatch("valid"::equals);
    boolean abnormal = valid && ranges.abnormal(m.metric(), m.value());
    int band = valid ? NormalRanges.band(m.metric(), m.value()) : -1;
    StreamKey key = new StreamKey(m.deviceId(), m.metric());
    String topic = ticket == null ? null : ticket.topic();
    synchronized (this) {
      StreamState s = streams.computeIfAbsent(key, k -> new StreamState());
      boolean continuous =
          s.lastTime != null
              && Duration.between(s.lastTime, m.time()).abs().compareTo(CONTINUOUS_GAP) <= 0;
      boolean change =
          s.lastAbnormal == null
              || s.lastAbnormal != abnormal
              || s.lastValid != valid
              || s.lastBand != band
              || !m.statuses().equals(s.lastStatuses);
      // While abnormal in the same band: every reading, or one per abnormalEvery.
      boolean abnormalDue =
          abnormal
              && (abnormalEvery.isZero()
                  || s.lastStored == null
                  || Duration.between(s.lastStored, m.time()).compareTo(abnormalEvery) >= 0);
      if (s.lastTime == null || !m.time().isBefore(s.lastTime)) {
        s.lastTime = m.time();
        s.lastAbnormal = abnormal;
        s.lastValid = valid;
        s.lastBand = band;
        s.lastStatuses = m.statuses();
      }
      boolean store =
          storage == Storage.EVERY_READING || !continuous || !valid || abnormalDue || change;
      if (store && (s.lastStored == null || m.time().isAfter(s.lastStored))) {
        s.lastStored = m.time();
      }
      if (!valid) {
        return true;
      }
      long minute = Math.floorDiv(m.time().getEpochSecond(), 60) * 60;
      Instant now = clock.instant();
      Minute open = minutes.get(minute);
      if ((open == null && due(minute, now))
          || (open != null && open.closed)
          || m.time().isAfter(now.plus(FUTURE_TOLERANCE))
          || !SummaryJournal.journalable(m, topic)) {
        late.increment();
        return true;
      }
      if (open == null) {
        open = new Minute();
        minutes.put(minute, open);
      }
      Map<String, Line> readings = open.streams.computeIfAbsent(key, k -> new LinkedHashMap<>());
      Line earlier = readings.get(m.identity());
      if (earlier != null) {
        return earlier.stored(); // a redelivery of a reading already journaled
      }
      readings.put(m.identity(), new Line(m, store, null, null));
      if (ticket != null) {
        ticket.expect(1);
      }
      journal.append(
          minute, m, store, topic, store || ticket == null ? null : ticket.payload(), ticket);
      if (!store) {
        summarisedOnly.increment();
      }
      return store;
    }
  }

  private boolean due(long minute, Instant now) {
    return !now.isBefore(Instant.ofEpochSecond(minute + 60).plus(grace));
  }

  /** Readings journaled in open minutes (not yet summarised). */
  public synchronized int openReadings() {
    int n = 0;
    for (Minute m : minutes.values()) {
      for (Map<String, Line> s : m.streams.values()) {
        n += s.size();
      }
    }
    return n;
  }

  /** Closes every minute whose grace has passed (also called by the closer thread each second). */
  public void closeDue() {
    synchronized (closing) {
      closeDueNow();
    }
  }

  private final Object closing = new Object();

  private void closeDueNow() {
    Instant now = clock.instant();
    List<Long> due = new ArrayList<>();
    synchronized (this) {
      for (var e : minutes.entrySet()) {
        if (e.getValue().closed || due(e.getKey(), now)) {
          e.getValue().closed = true;
          due.add(e.getKey());
        }
      }
    }
    for (long minute : due) {
      Minute m;
      synchronized (this) {
        m = minutes.get(minute);
      }
      close(minute, m);
      synchronized (this) {
        minutes.remove(minute);
      }
    }
  }

  private void close(long minute, Minute m) {
    journal.flush();
    Set<String> deviceIds = new HashSet<>();
    Set<String> gatewayIds = new HashSet<>();
    for (var e : m.streams.entrySet()) {
      deviceIds.add(e.getKey().deviceId());
      e.getValue().values().forEach(l -> gatewayIds.add(l.m().gatewayId()));
    }
    gatewayIds.remove(null);
    Map<String, DeviceIdentity> devices = directory.devices(deviceIds);
    Map<String, String> gateways = directory.gateways(gatewayIds);
    TemplateSet tpl = templates.get();
    List<Observation> summaries = new ArrayList<>();
    Map<Observation, List<Line>> linesOf = new IdentityHashMap<>();
    List<Line> alone = new ArrayList<>();
    for (var e : m.streams.entrySet()) {
      Collection<Line> all = e.getValue().values();
      boolean anyOnlyHere = all.stream().anyMatch(l -> !l.stored());
      if (all.size() < MIN_READINGS && !anyOnlyHere) {
        continue;
      }
      DeviceIdentity device = devices.get(e.getKey().deviceId());
      Map<String, List<Line>> byPatient = new LinkedHashMap<>();
      String chosen = null;
      for (Line l : all) {
        Optional<String> p = device == null ? Optional.empty() : device.patientAt(l.m().time());
        if (p.isPresent()) {
          List<Line> group = byPatient.computeIfAbsent(p.get(), k -> new ArrayList<>());
          group.add(l);
          if (chosen == null || group.size() >= byPatient.get(chosen).size()) {
            chosen = p.get();
          }
        }
      }
      for (Line l : all) {
        Optional<String> p = device == null ? Optional.empty() : device.patientAt(l.m().time());
        if ((chosen == null || !p.equals(Optional.of(chosen))) && !l.stored()) {
          alone.add(l);
        }
      }
      if (chosen == null) {
        continue;
      }
      List<Line> group = byPatient.get(chosen);
      try {
        Observation o =
            SummaryObservation.build(
                minute,
                group.stream().map(Line::m).toList(),
                tpl,
                new MappingContext(
                    chosen, device.reference(), gateways.get(group.get(0).m().gatewayId())));
        summaries.add(o);
        linesOf.put(o, group);
      } catch (RuntimeException ex) {
        log.warn("minute summary of {} not mapped: {}", e.getKey().metric(), ex.toString());
        group.stream().filter(l -> !l.stored()).forEach(alone::add);
      }
    }
    if (!summaries.isEmpty()) {
      List<Observation> rejected = writeSpread(summaries);
      for (Observation r : rejected) {
        summariesRejected.increment();
        linesOf.get(r).stream().filter(l -> !l.stored()).forEach(alone::add);
      }
      summariesWritten.increment(summaries.size() - rejected.size());
      latency.record(Duration.between(Instant.ofEpochSecond(minute + 60), clock.instant()));
    }
    if (!alone.isEmpty()) {
      Map<String, Line> withPayload = new HashMap<>();
      for (Line l : journal.read(minute)) {
        withPayload.putIfAbsent(l.m().identity(), l);
      }
      individually.storeAndWait(
          alone.stream().map(l -> withPayload.getOrDefault(l.m().identity(), l)).toList());
    }
    journal.delete(minute);
  }

  /** Summaries per transaction, as the writer sends them. */
  static final int PER_TRANSACTION = 200;

  /**
   * Writes a minute's summaries in transactions of {@link #PER_TRANSACTION} spread evenly over
   * {@code spread}: 1,000 patients' 4,000 summaries at once held the readings' batches back at the
   * server for seconds every minute (decision 0214). A single transaction goes at once; while
   * stopping, the rest go without waiting.
   */
  private List<Observation> writeSpread(List<Observation> summaries) {
    int transactions = (summaries.size() + PER_TRANSACTION - 1) / PER_TRANSACTION;
    long start = System.nanoTime();
    List<Observation> rejected = new ArrayList<>();
    for (int i = 0; i < transactions; i++) {
      long wait = start + spread.toNanos() / transactions * i - System.nanoTime();
      if (wait > 0 && running && !Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      rejected.addAll(
          writer.write(
              summaries.subList(
                  i * PER_TRANSACTION, Math.min(summaries.size(), (i + 1) * PER_TRANSACTION))));
    }
    return rejected;
  }

  @Override
  public void close() {
    running = false;
    closer.interrupt();
    journal.close();
  }
}
