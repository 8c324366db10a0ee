package org.vitals.inference.glucose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading CGM files and cutting them into forecast windows, gaps included. */
class CgmDataTest {

  @TempDir Path tmp;

  @Test
  void readsTheCommittedColasSample() throws Exception {
    CgmCsv.Contents c = CgmCsv.read(GlucoseFixtures.colasSample());
    assertThat(c.traces()).extracting(CgmTrace::id).containsExactly("1", "2", "3");
    assertThat(c.traces().get(0).size()).isEqualTo(567);
    assertThat(c.traces().get(1).size()).isEqualTo(576);
    // First reading of person 1 in colas2019.csv: 2012-01-01 00:00:00, 86 mg/dL.
    assertThat(c.traces().get(0).readings().get(0).mgdl()).isEqualTo(86.0);
    assertThat(c.missingValues()).isZero();
  }

  @Test
  void missingValuesAreSkippedAndCountedAndUnsortedRowsSorted() throws Exception {
    Path f = tmp.resolve("x.csv");
    Files.writeString(
        f,
        "id,time,gl\n"
            + "a,2020-01-01 00:10:00,110\n"
            + "a,2020-01-01 00:00:00,100\n"
            + "a,2020-01-01 00:05:00,NA\n"
            + "b,2020-01-01 00:00:00,\n"
            + "b,2020-01-01 00:05:00,90\n");
    CgmCsv.Contents c = CgmCsv.read(f);
    assertThat(c.missingValues()).isEqualTo(2);
    assertThat(c.traces().get(0).readings())
        .extracting(CgmReading::mgdl)
        .containsExactly(100.0, 110.0);
  }

  @Test
  void badFilesAreRefusedWithTheLineAndTheReason() throws Exception {
    Path mmol = tmp.resolve("mmol.csv");
    Files.writeString(mmol, "id,time,gl\na,2020-01-01 00:00:00,5.6\n");
    assertThatThrownBy(() -> CgmCsv.read(mmol))
        .hasMessageContaining("line 2")
        .hasMessageContaining("mmol/L");
    Path noGl = tmp.resolve("nogl.csv");
    Files.writeString(noGl, "id,time,glucose\na,2020-01-01 00:00:00,100\n");
    assertThatThrownBy(() -> CgmCsv.read(noGl)).hasMessageContaining("no column 'gl'");
    Path empty = tmp.resolve("empty.csv");
    Files.writeString(empty, "");
    assertThatThrownBy(() -> CgmCsv.read(empty)).hasMessageContaining("empty");
    Path header = tmp.resolve("header.csv");
    Files.writeString(header, "id,time,gl\n");
    assertThatThrownBy(() -> CgmCsv.read(header)).hasMessageContaining("no glucose readings");
    Path badTime = tmp.resolve("badtime.csv");
    Files.writeString(badTime, "id,time,gl\na,01/01/2020 00:00,100\n");
    assertThatThrownBy(() -> CgmCsv.read(badTime)).hasMessageContaining("line 2");
  }

  @Test
  void aGapRemovesEveryWindowThatSpansItAndIsCounted() {
    // 80 readings 5 min apart, then the step into reading 40 is 10 min (one missed reading).
    List<CgmReading> r = new ArrayList<>(GlucoseFixtures.line(80, 100, 1));
    for (int i = 40; i < 80; i++) {
      r.set(i, new CgmReading(r.get(i).time().plus(Duration.ofMinutes(5)), r.get(i).mgdl()));
    }
    WindowSet set = WindowSet.of(List.of(new CgmTrace("p", r)));
    // Candidate origins 11..67 (57). A window spans steps origin-10 .. origin+12, so origins
    // 28..50 (23) contain the gap step 40.
    assertThat(set.skippedForGap()).isEqualTo(23);
    assertThat(set.size()).isEqualTo(34);
    // First window: readings 0..11, targets at 17 and 23.
    assertThat(set.input(0).history()[0]).isEqualTo(100.0);
    assertThat(set.actual30(0)).isEqualTo(117.0);
    assertThat(set.actual60(0)).isEqualTo(123.0);
  }

  @Test
  void theProfileCoversTheLast24Hours() {
    // 2 days at 5 min: the profile at the last reading holds exactly 288 readings (24 h, the
    // reading exactly 24 h earlier excluded).
    List<CgmReading> r = GlucoseFixtures.line(576, 100, 0.1);
    double[][] p = ForecastInput.prefixSums(r);
    ForecastInput in = ForecastInput.at(r, 575, p[0], p[1]);
    assertThat(in.profileCount()).isEqualTo(288);
    double expectedMean = 100 + 0.1 * (575 + 288) / 2.0;
    assertThat(in.profileMean())
        .isCloseTo(expectedMean, org.assertj.core.api.Assertions.within(1e-6));
    double[] f = GlucoseFeatures.of(in);
    assertThat(f).hasSize(GlucoseFeatures.COUNT);
    assertThat(f[0])
        .isCloseTo(r.get(575).mgdl() / 100, org.assertj.core.api.Assertions.within(1e-12));
  }

  @Test
  void featureNamesSortInInputOrder() {
    String[] sorted = GlucoseFeatures.NAMES.clone();
    java.util.Arrays.sort(sorted);
    assertThat(sorted).containsExactly(GlucoseFeatures.NAMES);
  }
}
