package org.vitals.inference.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitals.inference.ecg.EcgTestData;

class WfdbReaderTest {

  @Test
  void readsTheFixtureHeaderSamplesAndTheirChecksums() throws Exception {
    WfdbRecord r = WfdbReader.read(EcgTestData.fixture(), "208a");
    assertThat(r.samplingFrequency()).isEqualTo(360);
    assertThat(r.signalCount()).isEqualTo(2);
    assertThat(r.length()).isEqualTo(64_800);
    assertThat(r.header().signals().get(0).description()).isEqualTo("MLII");
    assertThat(r.header().signals().get(1).description()).isEqualTo("V1");
    for (int s = 0; s < 2; s++) {
      WfdbSignal spec = r.header().signals().get(s);
      assertThat(r.samples()[s][0]).isEqualTo(spec.initialValue());
      assertThat(WfdbSignal.checksumOf(r.samples()[s])).isEqualTo(spec.checksum());
    }
    // 200 adu/mV around a baseline of 1024 adu
    assertThat(r.physical(0)[0]).isEqualTo((r.samples()[0][0] - 1024) / 200.0);
  }

  @Test
  void readsTheFixtureAnnotationsWithRhythmText() throws Exception {
    List<Annotation> a = AnnotationReader.read(EcgTestData.fixture(), "201a", "atr");
    Map<String, Integer> counts = new TreeMap<>();
    a.forEach(x -> counts.merge(x.symbol(), 1, Integer::sum));
    // the fixture holds record 201 from 1520 s to 1800 s: 340 N, 26 a, 7 A beats (.atr)
    assertThat(counts).containsEntry("N", 340).containsEntry("a", 26).containsEntry("A", 7);
    assertThat(a.get(0).symbol()).isEqualTo("+");
    assertThat(a.stream().filter(x -> x.aux().equals("(AFIB")).count()).isEqualTo(1);
    for (int i = 1; i < a.size(); i++) {
      assertThat(a.get(i).sample()).isGreaterThanOrEqualTo(a.get(i - 1).sample());
    }
  }

  @Test
  void writerAndReaderRoundTripIncludingLongGapsAndNegativeSamples(@TempDir Path dir)
      throws Exception {
    WfdbRecord src = WfdbReader.read(EcgTestData.fixture(), "208a");
    int[][] samples = {{-2047, -1, 0, 1, 2047}, {5, -5, 100, -100, 7}};
    WfdbWriter.write(dir, "rt", src.header(), samples, List.of("round trip"));
    WfdbRecord back = WfdbReader.read(dir, "rt");
    assertThat(back.samples()).isDeepEqualTo(samples);
    List<Annotation> ann =
        List.of(
            new Annotation(3, 28, 0, 0, 0, "(AFIB"),
            new Annotation(10, 1, 0, 0, 0, ""),
            new Annotation(200_000, 5, 2, 1, 3, ""),
            new Annotation(200_001, 28, 0, 1, 3, "(N"));
    WfdbWriter.writeAnnotations(dir.resolve("rt.atr"), ann);
    assertThat(AnnotationReader.read(dir, "rt", "atr")).isEqualTo(ann);
  }

  @Test
  void acceptsCrlfHeadersAndFlagsGapsAsNaN(@TempDir Path dir) throws Exception {
    WfdbRecord src = WfdbReader.read(EcgTestData.fixture(), "208a");
    int[][] samples = {{10, -2048, 12}, {1, 2, 3}};
    WfdbWriter.write(dir, "g", src.header(), samples, List.of());
    String crlf = Files.readString(dir.resolve("g.hea")).replace("\n", "\r\n");
    Files.writeString(dir.resolve("g.hea"), crlf);
    WfdbRecord r = WfdbReader.read(dir, "g");
    assertThat(r.length()).isEqualTo(3);
    assertThat(r.physical(0)[1]).isNaN();
    assertThat(r.physical(0)[2]).isEqualTo((12 - 1024) / 200.0);
  }

  @Test
  void badFilesGiveMessagesThatNameTheProblem(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> WfdbReader.read(dir, "nothing")).hasMessageContaining("nothing.hea");
    Files.writeString(dir.resolve("x.hea"), "x 2 360 100\nx.dat 311 200 11 1024 0 0 0 I\n");
    assertThatThrownBy(() -> WfdbReader.read(dir, "x"))
        .isInstanceOf(WfdbFormatException.class)
        .hasMessageContaining("signals but has 1");
    Files.writeString(dir.resolve("y.hea"), "y 1 360 100\ny.dat 311 200 11 1024 0 0 0 I\n");
    Files.write(dir.resolve("y.dat"), new byte[300]);
    assertThatThrownBy(() -> WfdbReader.read(dir, "y")).hasMessageContaining("format 311");
    Files.writeString(dir.resolve("z.hea"), "z 1 360 1000\nz.dat 212 200 11 1024 0 0 0 I\n");
    Files.write(dir.resolve("z.dat"), new byte[30]);
    assertThatThrownBy(() -> WfdbReader.read(dir, "z"))
        .hasMessageContaining("header announces 1000");
  }

  @Test
  void listsRecordsFromTheRecordsFileOrFromHeaders(@TempDir Path dir) throws Exception {
    WfdbReader.RecordList fixture = WfdbReader.listRecords(EcgTestData.fixture());
    assertThat(fixture.fromRecordsFile()).isTrue();
    assertThat(fixture.names()).containsExactly("201a", "208a");
    Files.writeString(dir.resolve("b.hea"), "b 0\n");
    Files.writeString(dir.resolve("a.hea"), "a 0\n");
    WfdbReader.RecordList found = WfdbReader.listRecords(dir);
    assertThat(found.fromRecordsFile()).isFalse();
    assertThat(found.names()).containsExactly("a", "b");
  }
}
