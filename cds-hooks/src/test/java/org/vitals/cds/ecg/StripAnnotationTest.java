package org.vitals.cds.ecg;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitals.cds.it.FhirFixtures;
import org.vitals.cds.it.MitFixtureStrips;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.EcgAnalysis;
import org.vitals.inference.ecg.EcgAnalyzer;

/**
 * The annotation of strips as the annotator does it (strip + up to 50 s of preceding strips), on
 * strips cut from the committed MIT-BIH fixtures (ODC-By 1.0; see {@link MitFixtureStrips}), and
 * the FHIR shapes it leads to.
 */
class StripAnnotationTest {

  static EcgAnalyzer analyzer;
  static final Instant T0 = Instant.parse("2026-01-08T19:00:00Z");

  @BeforeAll
  static void load() {
    analyzer = EcgAnalyzer.withDefaultModel();
  }

  @AfterAll
  static void close() {
    analyzer.close();
  }

  /** Decoded strips of a fixture record, with ids. */
  static List<StripSignal> strips(String record, int fromSecond, int count) throws Exception {
    List<StripSignal> out = new ArrayList<>();
    int k = 0;
    for (Observation o : MitFixtureStrips.of(record).strips("p1", T0, fromSecond, count)) {
      o.setId("s" + k++);
      StripSignal.Decoded d = StripSignal.decode(o);
      assertThat(d.ok()).as(d.problem()).isTrue();
      out.add(d.strip());
    }
    return out;
  }

  /** Each strip annotated with what came before it, as the annotator does. */
  static List<StripAnnotation> annotate(List<StripSignal> strips) {
    List<StripAnnotation> out = new ArrayList<>();
    for (int i = 0; i < strips.size(); i++) {
      AnalysisWindow w =
          AnalysisWindow.of(strips.get(i), strips.subList(0, i), EcgAnnotator.CONTEXT);
      EcgAnalysis a = analyzer.analyze(new double[][] {w.signal()}, w.fs());
      assertThat(a.insufficientData()).isEmpty();
      out.add(StripAnnotation.of(w, a));
    }
    return out;
  }

  @Test
  void contextIsTheDirectlyPrecedingStripsOfTheSameDeviceUpToFiftySeconds() throws Exception {
    List<StripSignal> s = strips("208a", 0, 8);
    AnalysisWindow w = AnalysisWindow.of(s.get(7), s.subList(0, 7), EcgAnnotator.CONTEXT);
    assertThat(w.contextSeconds()).isEqualTo(50.0);
    assertThat(w.start()).isEqualTo(s.get(2).start());
    assertThat(w.signal()).hasSize(60 * 360);
    // A gap of a second ends the context there.
    List<StripSignal> gapped = new ArrayList<>(s.subList(0, 7));
    StripSignal moved = s.get(5);
    gapped.set(
        5,
        new StripSignal(
            moved.id(),
            moved.start().minusSeconds(1),
            1000.0 / 360,
            moved.millivolts(),
            List.of(),
            moved.device()));
    AnalysisWindow cut = AnalysisWindow.of(s.get(7), gapped, EcgAnnotator.CONTEXT);
    assertThat(cut.contextSeconds()).isEqualTo(10.0);
    // Another device is no context at all.
    StripSignal other =
        new StripSignal(
            "x", s.get(6).start(), 1000.0 / 360, s.get(6).millivolts(), List.of(), "Device/other");
    assertThat(AnalysisWindow.of(s.get(7), List.of(other), EcgAnnotator.CONTEXT).contextSeconds())
        .isZero();
  }

  @Test
  void record208KnownBeatsKeepTheirClassesStripByStrip() throws Exception {
    // The whole 3-min fixture: its first minute, with little context, is the hardest part (with
    // the shape-neighbour smoothing of decision 0309 about 70 % of its V beats are called V).
    List<StripSignal> s = strips("208a", 0, 18);
    List<StripAnnotation> annotations = annotate(s);
    List<Instant> times = new ArrayList<>();
    List<AamiClass> classes = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      for (StripAnnotation.BeatMark b : annotations.get(i).beats()) {
        assertThat(b.offsetMs()).isBetween(0.0, 10_000.0);
        times.add(s.get(i).start().plusNanos(Math.round(b.offsetMs() * 1e6)));
        classes.add(b.beatClass());
      }
    }
    Map<AamiClass, int[]> tally = new EnumMap<>(AamiClass.class);
    for (MitFixtureStrips.ReferenceBeat r : MitFixtureStrips.of("208a").beats(T0, 0, 180)) {
      int[] t = tally.computeIfAbsent(r.beatClass(), k -> new int[3]);
      t[0]++;
      int best = -1;
      long bestMs = 151;
      for (int i = 0; i < times.size(); i++) {
        long d = Math.abs(Duration.between(times.get(i), r.time()).toMillis());
        if (d < bestMs) {
          best = i;
          bestMs = d;
        }
      }
      if (best >= 0) {
        t[1]++;
        if (classes.get(best) == r.beatClass()) {
          t[2]++;
        }
      }
    }
    tally.forEach((k, v) -> System.out.println("208a " + k + " " + java.util.Arrays.toString(v)));
    assertThat(tally.get(AamiClass.V)[2])
        .isGreaterThanOrEqualTo((int) (0.8 * tally.get(AamiClass.V)[0]));
    assertThat(tally.get(AamiClass.N)[2])
        .isGreaterThanOrEqualTo((int) (0.9 * tally.get(AamiClass.N)[0]));
  }

  @Test
  void record201AfIsFoundInTheStripsOfTheEpisodeOnly() throws Exception {
    List<StripSignal> s = strips("201a", 30, 25); // record seconds 30-280; AF 76.5-267.3 s
    List<StripAnnotation> annotations = annotate(s);
    for (int i = 0; i < s.size(); i++) {
      StripAnnotation a = annotations.get(i);
      StringBuilder eps = new StringBuilder();
      for (int e = 0; e < a.episodes().size(); e++) {
        eps.append(' ')
            .append(Duration.between(T0, a.episodes().get(e)[0]).toMillis() / 1000.0 + 30)
            .append('-')
            .append(Duration.between(T0, a.episodes().get(e)[1]).toMillis() / 1000.0 + 30)
            .append(a.episodeReachesEnd().get(e) ? " ongoing" : "");
      }
      System.out.println("201a strip " + (30 + 10 * i) + " s: af " + a.af().size() + eps);
    }
    for (int i = 0; i < s.size(); i++) {
      int second = 30 + 10 * i;
      boolean af = !annotations.get(i).af().isEmpty();
      if (second + 10 <= 70) {
        assertThat(af).as("strip at %d s, before the onset", second).isFalse();
      }
      if (second >= 100 && second + 10 <= 260) {
        assertThat(af).as("strip at %d s, inside the episode", second).isTrue();
      }
    }
  }

  @Test
  void samplesWithoutValueAreGapsAndTheirBeatsUnclassified() throws Exception {
    MitFixtureStrips rec = MitFixtureStrips.of("208a");
    Observation o = rec.strips("p1", T0, 0, 1).get(0);
    o.setId("s1");
    // 30 samples without value from 40 ms after the fourth reference beat's R peak.
    Instant r = rec.beats(T0, 0, 10).get(3).time();
    int from = (int) Math.round(Duration.between(T0, r).toNanos() / 1e9 * 360) + 15;
    String[] tokens = o.getComponentFirstRep().getValueSampledData().getData().split(" ");
    for (int i = from; i < from + 30; i++) {
      tokens[i] = "E";
    }
    o.getComponentFirstRep().getValueSampledData().setData(String.join(" ", tokens));
    StripSignal s = StripSignal.decode(o).strip();
    assertThat(s.noValue()).hasSize(1);
    assertThat(s.noValue().get(0)).containsExactly(from, from + 30);
    assertThat(s.millivolts()[from + 10]).isEqualTo(s.millivolts()[from - 1]); // held, no step
    AnalysisWindow w = AnalysisWindow.of(s, List.of(), EcgAnnotator.CONTEXT);
    StripAnnotation a =
        StripAnnotation.of(w, analyzer.analyze(new double[][] {w.signal()}, w.fs()));
    double rMs = Duration.between(T0, r).toNanos() / 1e6;
    assertThat(a.beats())
        .filteredOn(b -> Math.abs(b.offsetMs() - rMs) < 150)
        .singleElement()
        .satisfies(b -> assertThat(b.beatClass()).isEqualTo(AamiClass.Q));
    assertThat(a.beats()).filteredOn(b -> b.beatClass() != AamiClass.Q).hasSizeGreaterThan(10);
    assertThat(a.unusable()).anySatisfy(u -> assertThat(u.reason()).contains("without a value"));
  }

  @Test
  void badStripsSayWhatIsWrong() {
    Observation o = FhirFixtures.ecgStrip("p1", T0, new double[2500], 250);
    o.getComponentFirstRep().getValueSampledData().setData("E E E");
    assertThat(StripSignal.decode(o).problem()).isEqualTo("no sample of the strip has a value");
    o.getComponentFirstRep().getValueSampledData().setPeriod(null);
    assertThat(StripSignal.decode(o).problem()).contains("no positive period");
    o.getComponent().clear();
    assertThat(StripSignal.decode(o).problem()).contains("no SampledData");
    Observation uv = FhirFixtures.ecgStrip("p1", T0, new double[] {1, 2}, 250);
    uv.getComponentFirstRep().getValueSampledData().getOrigin().setCode("uV").setUnit("uV");
    assertThat(StripSignal.decode(uv).strip().millivolts()[0]).isEqualTo(0.001);
    uv.getComponentFirstRep().getValueSampledData().getOrigin().setCode("V");
    assertThat(StripSignal.decode(uv).problem()).contains("not mV");
  }

  @Test
  void fhirShapesAreMarkedMachineGeneratedAndEpisodesOnlyGrow() throws Exception {
    List<StripSignal> s = strips("208a", 0, 2);
    StripAnnotation a = annotate(s).get(1);
    Observation o = EcgAnnotationResources.analysis("p1", s.get(1), a, "Device/d1", "abc123", T0);
    assertThat(o.getIdentifierFirstRep().getSystem()).isEqualTo(EcgCodes.ANALYSIS_ID_SYSTEM);
    assertThat(o.getIdentifierFirstRep().getValue()).isEqualTo("s1");
    assertThat(o.getDerivedFromFirstRep().getReference()).isEqualTo("Observation/s1");
    assertThat(o.getMeta().getTag(EcgCodes.DECISION_SUPPORT, EcgCodes.MACHINE_GENERATED))
        .isNotNull();
    assertThat(o.getNoteFirstRep().getText()).contains("not a diagnosis");
    assertThat(o.getDevice().getReference()).isEqualTo("Device/d1");
    assertThat(o.getMethod().getCodingFirstRep().getDisplay()).contains("abc123");
    long beats =
        o.getComponent().stream()
            .filter(c -> c.getCode().getCodingFirstRep().getSystem().equals(EcgCodes.AAMI))
            .peek(c -> assertThat(c.getCode().getCoding().get(1).getCode()).startsWith("66"))
            .count();
    assertThat(beats).isEqualTo(a.beats().size()).isGreaterThan(5);

    Observation ep =
        EcgAnnotationResources.afEpisode(
            "p1", T0, T0.plusSeconds(20), true, "s0", "Device/d1", "abc123", T0);
    assertThat(ep.getStatus()).isEqualTo(Observation.ObservationStatus.PRELIMINARY);
    assertThat(EcgAnnotationResources.extend(ep, T0.plusSeconds(10), true, "s0")).isFalse();
    assertThat(EcgAnnotationResources.episodeEnd(ep)).isEqualTo(T0.plusSeconds(20));
    assertThat(EcgAnnotationResources.extend(ep, T0.plusSeconds(30), true, "s1")).isTrue();
    assertThat(EcgAnnotationResources.extend(ep, T0.plusSeconds(30), false, "s2")).isTrue();
    assertThat(ep.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
    assertThat(ep.getDerivedFrom())
        .extracting(r -> r.getReference())
        .containsExactly("Observation/s0", "Observation/s2");
  }
}
