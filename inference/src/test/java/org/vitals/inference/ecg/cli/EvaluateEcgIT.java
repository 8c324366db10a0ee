package org.vitals.inference.ecg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.vitals.inference.ecg.EcgTestData;
import org.vitals.inference.ecg.OnnxBeatClassifier;

/**
 * {@code evaluate-ecg} over the 22 shared DS1 records with the shipped model. These are the records
 * the model was trained on, so class figures are resubstitution figures: the floors guard against
 * regressions, the honest estimate is the cross-validation in ShippedEcgModelIT.
 */
class EvaluateEcgIT {

  @Test
  void ds1ScoresStayAboveTheirFloors() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new EvaluateEcgCommand()
            .run(
                new String[] {"--data", EcgTestData.sharedMitdb().toString(), "--json"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    JsonNode j = OnnxBeatClassifier.JSON.readTree(lines[lines.length - 1]);
    assertThat(j.at("/qrs/se").asDouble()).isGreaterThanOrEqualTo(99.5);
    assertThat(j.at("/qrs/ppv").asDouble()).isGreaterThanOrEqualTo(99.5);
    assertThat(j.at("/classes/VEB/se").asDouble()).isGreaterThanOrEqualTo(93);
    assertThat(j.at("/classes/VEB/ppv").asDouble()).isGreaterThanOrEqualTo(85);
    assertThat(j.at("/classes/SVEB/se").asDouble()).isGreaterThanOrEqualTo(70);
    assertThat(j.at("/accuracy").asDouble()).isGreaterThanOrEqualTo(96);
    assertThat(j.at("/af/duration_se").asDouble()).isGreaterThanOrEqualTo(90);
    assertThat(j.at("/af/episode30_se").asDouble()).isGreaterThanOrEqualTo(90);
    // every reference beat of DS1 is scored somewhere: 51,021 minus those in flutter
    long refBeats = 0;
    for (String c : new String[] {"N", "SVEB", "VEB", "F", "Q"}) {
      refBeats += j.at("/classes/" + c + "/tp").asLong() + j.at("/classes/" + c + "/fn").asLong();
    }
    assertThat(refBeats).isBetween(50_900L, 51_021L);
  }
}
