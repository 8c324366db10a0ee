package org.vitals.inference.ecg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitals.inference.cli.CliCommand;
import org.vitals.inference.ecg.EcgTestData;
import org.vitals.inference.ecg.MitRecord;
import org.vitals.inference.ecg.OnnxBeatClassifier;

/** The ECG commands on the committed fixture, as a user runs them. */
class EcgCommandsTest {

  private record Run(int code, String out, String err) {
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  private static Run run(CliCommand command, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        command.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void evaluateEcgPrintsTheContractJsonAsItsLastLine() throws Exception {
    Run r = run(new EvaluateEcgCommand(), "--data", EcgTestData.fixture().toString(), "--json");
    assertThat(r.code()).isZero();
    JsonNode j = OnnxBeatClassifier.JSON.readTree(r.lastLine());
    assertThat(iterable(j.fieldNames())).containsExactly("qrs", "classes", "accuracy", "af");
    assertThat(iterable(j.get("qrs").fieldNames())).containsExactly("se", "ppv");
    assertThat(iterable(j.get("classes").fieldNames()))
        .containsExactly("N", "SVEB", "VEB", "F", "Q");
    assertThat(iterable(j.get("classes").get("VEB").fieldNames()))
        .containsExactly("tp", "fn", "fp", "se", "ppv");
    assertThat(iterable(j.get("af").fieldNames()))
        .containsExactly(
            "episode_se", "episode_ppv", "duration_se", "duration_ppv", "episode30_se");
    assertThat(j.get("qrs").get("se").asDouble()).isBetween(98.5, 100.0);
    assertThat(j.get("accuracy").asDouble()).isBetween(0.0, 100.0);
    // 208a has 105 V and 201a 1 V beat in the reference
    JsonNode v = j.get("classes").get("VEB");
    assertThat(v.get("tp").asLong() + v.get("fn").asLong()).isEqualTo(106);
  }

  @Test
  void annotateEcgWritesBeatAndAfFilesForEveryRecord(@TempDir Path out) throws Exception {
    Run r =
        run(
            new AnnotateEcgCommand(),
            "--data",
            EcgTestData.fixture().toString(),
            "--out",
            out.toString());
    assertThat(r.code()).isZero();
    for (String name : List.of("201a", "208a")) {
      List<String> beats = Files.readAllLines(out.resolve(name + ".beats.csv"));
      assertThat(beats.get(0)).isEqualTo("sample,class");
      MitRecord rec = MitRecord.read(EcgTestData.fixture(), name);
      assertThat(beats.size() - 1)
          .isBetween(
              rec.reference().beatSamples().length - 10, rec.reference().beatSamples().length + 10);
      int previous = -1;
      for (String line : beats.subList(1, beats.size())) {
        assertThat(line).matches("\\d+,[NSVFQ]");
        int sample = Integer.parseInt(line.split(",")[0]);
        assertThat(sample).isGreaterThan(previous).isLessThan(rec.length());
        previous = sample;
      }
      List<String> af = Files.readAllLines(out.resolve(name + ".af.csv"));
      assertThat(af.get(0)).isEqualTo("start_sample,end_sample");
      for (String line : af.subList(1, af.size())) {
        String[] p = line.split(",");
        assertThat(Long.parseLong(p[1])).isGreaterThan(Long.parseLong(p[0]));
      }
    }
    assertThat(Files.readAllLines(out.resolve("201a.af.csv"))).hasSizeGreaterThan(1);
  }

  @Test
  void withoutARecordsFileEveryHeaderIsUsedAndTheUserIsTold(@TempDir Path dir) throws Exception {
    for (String ext : List.of("hea", "dat", "atr")) {
      Files.copy(EcgTestData.fixture().resolve("208a." + ext), dir.resolve("208a." + ext));
    }
    Run r = run(new EvaluateEcgCommand(), "--data", dir.toString(), "--json");
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("RECORDS not found; using every *.hea in the folder (1 records)");
  }

  @Test
  void trainEcgWritesAnOnnxModelThatLoads(@TempDir Path out) throws Exception {
    Run r =
        run(
            new TrainEcgCommand(),
            "--data",
            EcgTestData.fixture().toString(),
            "--out",
            out.toString(),
            "--no-cv");
    assertThat(r.code()).isZero();
    assertThat(out.resolve("ecg-beat-classifier.onnx")).isRegularFile();
    try (OnnxBeatClassifier c = OnnxBeatClassifier.load(out, "ecg-beat-classifier")) {
      assertThat(c.labels()).isNotEmpty();
    }
  }

  @Test
  void aRecordWithAGapIsNamedAndTheOthersStillAnnotated(@TempDir Path dir) throws Exception {
    Path fixture = EcgTestData.fixture();
    for (String ext : List.of("hea", "dat", "atr")) {
      Files.copy(fixture.resolve("208a." + ext), dir.resolve("208a." + ext));
    }
    org.vitals.inference.wfdb.WfdbRecord src =
        org.vitals.inference.wfdb.WfdbReader.read(fixture, "208a");
    int[][] samples = {src.samples()[0].clone(), src.samples()[1].clone()};
    samples[0][5000] = -2048; // WFDB's "no sample here"
    org.vitals.inference.wfdb.WfdbWriter.write(dir, "gap", src.header(), samples, List.of());
    Files.copy(fixture.resolve("208a.atr"), dir.resolve("gap.atr"));
    Files.writeString(dir.resolve("RECORDS"), "208a\ngap\n");
    Path out = dir.resolve("out");

    Run annotate = run(new AnnotateEcgCommand(), "--data", dir.toString(), "--out", out.toString());
    assertThat(annotate.code()).isEqualTo(1);
    assertThat(annotate.err()).contains("record gap not annotated: lead 0 sample 5000 is NaN");
    assertThat(out.resolve("208a.beats.csv")).isRegularFile();
    assertThat(out.resolve("gap.beats.csv")).doesNotExist();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> run(new EvaluateEcgCommand(), "--data", dir.toString(), "--json"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("record gap: lead 0 sample 5000 is NaN");
  }

  @Test
  void badArgumentsAreRejectedWithAMessage() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> run(new EvaluateEcgCommand(), "--json"))
        .hasMessageContaining("--data is required");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> run(new AnnotateEcgCommand(), "--data", "x", "--bogus"))
        .hasMessageContaining("unknown option '--bogus'");
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
