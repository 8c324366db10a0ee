package org.vitals.inference.glucose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java UVA/Padova (Dalla Man 2007) port against properties the model must have. */
class UvaPadovaSimulatorTest {

  private static List<VirtualPatient> patients;

  @BeforeAll
  static void read() throws Exception {
    Path dir = GlucoseFixtures.resource("/simglucose/vpatient_params.csv").getParent();
    patients = VirtualPatient.readAll(dir);
  }

  private static SensorNoise noNoise() {
    return new SensorNoise(0, 0, 0, 1, 0, 0, 1000, 1);
  }

  @Test
  void readsAllThirtyVirtualPatients() {
    assertThat(patients).hasSize(30);
    VirtualPatient a1 =
        patients.stream().filter(p -> p.name().equals("adult#001")).findFirst().orElseThrow();
    assertThat(a1.p("BW")).isCloseTo(102.32, within(0.01));
    assertThat(a1.cr()).isPositive();
  }

  @Test
  void everyPatientStaysAtBasalGlucoseWhenFastingOnBasalInsulin() {
    // x0 is the steady state under the basal rate u2ss: a correct model holds Gb for a day.
    for (VirtualPatient p : patients) {
      CgmTrace t = UvaPadovaSimulator.simulate(p, List.of(), 1, new Random(1), noNoise(), false);
      for (CgmReading r : t.readings()) {
        assertThat(r.mgdl()).as(p.name()).isCloseTo(p.p("Gb"), within(1.0));
      }
    }
  }

  @Test
  void aMealRaisesGlucoseAndTheBolusBringsItBack() {
    VirtualPatient p =
        patients.stream().filter(x -> x.name().equals("adult#003")).findFirst().orElseThrow();
    List<UvaPadovaSimulator.Meal> lunch = List.of(new UvaPadovaSimulator.Meal(60, 60));
    CgmTrace t = UvaPadovaSimulator.simulate(p, lunch, 1, new Random(1), noNoise(), false);
    double start = t.readings().get(10).mgdl();
    double peak = t.readings().stream().mapToDouble(CgmReading::mgdl).max().orElseThrow();
    int peakAt = 0;
    for (int i = 0; i < t.size(); i++) {
      if (t.readings().get(i).mgdl() == peak) {
        peakAt = i;
      }
    }
    assertThat(peak).isGreaterThan(start + 30);
    // Peak 30–150 min after the meal, as post-prandial CGM peaks are.
    assertThat(peakAt * 5 - 60).isBetween(30, 150);
    // Six hours later the bolus has brought glucose back near its start.
    double later = t.readings().get((60 + 360) / 5).mgdl();
    assertThat(later).isCloseTo(start, within(40.0));
  }

  @Test
  void simulationsAreReproducibleAndSensorNoiseIsRealistic() {
    VirtualPatient p = patients.get(12);
    CgmTrace a = UvaPadovaSimulator.simulate(p, 2, 42);
    CgmTrace b = UvaPadovaSimulator.simulate(p, 2, 42);
    assertThat(a.readings()).isEqualTo(b.readings());
    assertThat(a.size()).isEqualTo(2 * 288);
    SensorNoise noise = SensorNoise.dexcomLike(3);
    double sum = 0;
    double sq = 0;
    int n = 5000;
    for (int i = 0; i < n; i++) {
      double e = noise.read(150) - 150;
      sum += e;
      sq += e * e;
    }
    double sd = Math.sqrt(sq / n - (sum / n) * (sum / n));
    // Breton & Kovatchev's Johnson S_U error: a few mg/dL of bias and an SD near 10 mg/dL.
    assertThat(Math.abs(sum / n)).isLessThan(3);
    assertThat(sd).isBetween(6.0, 14.0);
  }
}
