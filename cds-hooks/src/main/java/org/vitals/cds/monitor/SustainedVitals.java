package org.vitals.cds.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vitals.cds.clinical.ClinicalContext;
import org.vitals.cds.clinical.News2Assessment;
import org.vitals.cds.clinical.Reading;
import org.vitals.cds.clinical.VitalKind;

/**
 * A patient's recent readings and the values that have been <em>sustained</em> long enough to alarm
 * on. A brief artefact (a probe slipping, a motion spike) must not raise an alert, so each
 * continuous parameter only counts at the NEWS2 sub-score it has held for its minimum duration: the
 * lowest sub-score among the readings of that span, where the span must be covered (a reading at or
 * before its start). Durations are in measurement time (effective times), not arrival time, so a
 * burst of late readings is judged as it happened. Cuff BP, temperature, ACVPU and oxygen are
 * deliberate spot measurements and count at once.
 */
public final class SustainedVitals {

  /** Minimum duration per parameter before it counts. */
  public static final Map<VitalKind, Duration> MINIMUM_DURATION = minimumDurations();

  /** How long readings are kept. */
  static final Duration KEEP_CONTINUOUS = Duration.ofMinutes(30);

  static final Duration KEEP_INTERMITTENT = Duration.ofHours(12);

  private final Map<VitalKind, Deque<Reading>> readings = new EnumMap<>(VitalKind.class);

  private static Map<VitalKind, Duration> minimumDurations() {
    Map<VitalKind, Duration> m = new EnumMap<>(VitalKind.class);
    m.put(VitalKind.SPO2, Duration.ofSeconds(15));
    m.put(VitalKind.HEART_RATE, Duration.ofSeconds(15));
    m.put(VitalKind.RESPIRATORY_RATE, Duration.ofSeconds(30));
    return m;
  }

  /** Adds a reading (any order; a duplicate of time and kind replaces nothing). */
  public void add(Reading r) {
    Deque<Reading> d = readings.computeIfAbsent(r.kind(), k -> new ArrayDeque<>());
    if (d.isEmpty() || !r.time().isBefore(d.peekLast().time())) {
      if (d.isEmpty()
          || !(d.peekLast().time().equals(r.time()) && d.peekLast().value() == r.value())) {
        d.addLast(r);
      }
    } else {
      List<Reading> all = new ArrayList<>(d);
      if (all.stream().noneMatch(x -> x.time().equals(r.time()))) {
        all.add(r);
        all.sort(java.util.Comparator.comparing(Reading::time));
        d.clear();
        d.addAll(all);
      }
    }
    Duration keep = MINIMUM_DURATION.containsKey(r.kind()) ? KEEP_CONTINUOUS : KEEP_INTERMITTENT;
    Instant newest = d.peekLast().time();
    while (d.size() > 1 && d.peekFirst().time().isBefore(newest.minus(keep))) {
      d.removeFirst();
    }
  }

  /** The newest measurement time of any reading. */
  public Optional<Instant> newest() {
    return readings.values().stream()
        .filter(d -> !d.isEmpty())
        .map(d -> d.peekLast().time())
        .max(Instant::compareTo);
  }

  /** The sustained value of each parameter at {@code at} (absent: none, stale or not yet held). */
  public Map<VitalKind, Reading> sustained(Instant at, ClinicalContext context) {
    Map<VitalKind, Reading> out = new EnumMap<>(VitalKind.class);
    for (Map.Entry<VitalKind, Deque<Reading>> e : readings.entrySet()) {
      VitalKind k = e.getKey();
      List<Reading> upTo = e.getValue().stream().filter(r -> !r.time().isAfter(at)).toList();
      if (upTo.isEmpty()) {
        continue;
      }
      Reading last = upTo.get(upTo.size() - 1);
      long maxAge =
          MINIMUM_DURATION.containsKey(k)
              ? News2Assessment.CONTINUOUS_MAX_AGE_SECONDS
              : News2Assessment.INTERMITTENT_MAX_AGE_SECONDS;
      if (last.time().isBefore(at.minusSeconds(maxAge))) {
        continue;
      }
      Duration min = MINIMUM_DURATION.get(k);
      if (min == null) {
        out.put(k, last);
        continue;
      }
      Instant from = last.time().minus(min);
      int anchor = -1;
      for (int i = upTo.size() - 1; i >= 0; i--) {
        if (!upTo.get(i).time().isAfter(from)) {
          anchor = i;
          break;
        }
      }
      if (anchor < 0) {
        continue; // the span is not covered yet: nothing sustained to report
      }
      Reading best = null;
      int bestScore = Integer.MAX_VALUE;
      for (int i = upTo.size() - 1; i >= anchor; i--) {
        Reading r = upTo.get(i);
        int s = News2Assessment.of(Map.of(k, r), context).subScore(k);
        if (s < bestScore) {
          bestScore = s;
          best = r;
        }
      }
      out.put(k, best);
    }
    return out;
  }
}
