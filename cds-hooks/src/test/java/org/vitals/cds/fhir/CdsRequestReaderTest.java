package org.vitals.cds.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.vitals.cds.clinical.EcgStrip;
import org.vitals.cds.clinical.PatientData;
import org.vitals.cds.it.FhirFixtures;
import org.vitals.cds.it.Prefetch;

/**
 * The streaming reader keeps of a prefetch exactly what the rules read: the patient's data loaded
 * from its reduced tree equals the data loaded from the full tree, and it falls back to the full
 * tree where the HAPI path needs whole resources.
 */
class CdsRequestReaderTest {

  final ObjectMapper json = new ObjectMapper();
  final Instant now = Instant.parse("2026-01-08T19:07:48Z");

  byte[] request() throws Exception {
    List<Observation> obs = new ArrayList<>();
    for (int s = 120; s >= 0; s--) {
      obs.add(FhirFixtures.spo2("p", now.minusSeconds(s), s % 40 < 10 ? 86 : 94));
    }
    for (int s = 19; s >= 0; s--) {
      obs.add(FhirFixtures.heartRate("p", now.minusSeconds(s), 100 + s));
      obs.add(FhirFixtures.respRate("p", now.minusSeconds(s), 22));
    }
    Observation cancelled = FhirFixtures.heartRate("p", now, 200);
    cancelled.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
    obs.add(cancelled);
    obs.add(JsonObservationsTest.minuteSummary(FhirFixtures.heartRate("p", now, 150), now));
    obs.add(FhirFixtures.temperature("p", now.minusSeconds(600), 38.4));
    obs.add(FhirFixtures.bloodPressure("p", now.minusSeconds(60), 182, 121));
    obs.add(FhirFixtures.glucose("p", now.minusSeconds(300), 61));
    for (int s = 9; s >= 0; s--) {
      double[] mv = new double[250];
      for (int i = 0; i < mv.length; i++) {
        mv[i] = Math.sin(i / 7.0) * (s + 1) / 10;
      }
      obs.add(FhirFixtures.ecgStrip("p", now.minusSeconds(s + 1L), mv, 250));
    }
    ObjectNode body =
        Prefetch.request(
            "patient-view",
            "p",
            obs,
            List.of(FhirFixtures.copd("p")),
            List.of(FhirFixtures.bisoprolol("p")));
    return json.writeValueAsBytes(body);
  }

  PatientData load(JsonNode body) {
    Map<String, JsonNode> prefetch = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.path("prefetch").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      prefetch.put(e.getKey(), e.getValue());
    }
    return new PatientRecordLoader(new FhirClients()).load(prefetch, null, "p", now);
  }

  @Test
  void theReducedTreeGivesThePatientDataOfTheFullTree() throws Exception {
    byte[] body = request();
    JsonNode full = json.readTree(body);
    JsonNode reduced = CdsRequestReader.read(json, body);

    assertThat(reduced.get("context")).isEqualTo(full.get("context"));
    assertThat(reduced.get("hook")).isEqualTo(full.get("hook"));
    assertThat(reduced.at("/prefetch/conditions")).isEqualTo(full.at("/prefetch/conditions"));
    assertThat(reduced.toString().length())
        .as("subject, category, identifiers, displays and full URLs are dropped")
        .isLessThan(full.toString().length() * 3 / 4);
    assertThat(reduced.at("/prefetch/heartRate/entry/0/resource/subject").isMissingNode()).isTrue();

    PatientData a = load(full);
    PatientData b = load(reduced);
    // The cancelled reading and the gateway's minute summary are not readings on either path.
    assertThat(b.readings()).hasSize(121 + 20 + 20 + 1 + 2 + 1).isEqualTo(a.readings());
    assertThat(b.context()).isEqualTo(a.context());
    assertThat(b.context().spo2Scale2()).isTrue();
    assertThat(b.context().onBetaBlocker()).isTrue();
    assertThat(b.ecgStrips()).hasSize(10).hasSameSizeAs(a.ecgStrips());
    for (int i = 0; i < a.ecgStrips().size(); i++) {
      EcgStrip x = a.ecgStrips().get(i);
      EcgStrip y = b.ecgStrips().get(i);
      assertThat(y.start()).isEqualTo(x.start());
      assertThat(y.periodMillis()).isEqualTo(x.periodMillis());
      assertThat(y.observation()).isEqualTo(x.observation());
      assertThat(y.millivolts()).containsExactly(x.millivolts());
    }
  }

  @Test
  void aPagedOrNonBundleObservationKeyFallsBackToTheFullTree() throws Exception {
    ObjectNode body = (ObjectNode) json.readTree(request());
    ObjectNode bundle = (ObjectNode) body.at("/prefetch/spo2");
    bundle
        .putArray("link")
        .addObject()
        .put("relation", "next")
        .put("url", "http://fhir.example/fhir?page=2");
    byte[] paged = json.writeValueAsBytes(body);
    assertThat(CdsRequestReader.read(json, paged)).isEqualTo(json.readTree(paged));

    ObjectNode single = (ObjectNode) json.readTree(request());
    ((ObjectNode) single.get("prefetch"))
        .set(
            "temperature",
            json.readTree(FhirFixtures.json(FhirFixtures.temperature("p", now, 39))));
    byte[] notBundle = json.writeValueAsBytes(single);
    assertThat(CdsRequestReader.read(json, notBundle)).isEqualTo(json.readTree(notBundle));
  }

  @Test
  void otherShapesAreReadAsTheyAre() throws Exception {
    for (String s :
        new String[] {
          "[]",
          "\"x\"",
          "{}",
          "{\"prefetch\":null}",
          "{\"prefetch\":{\"spo2\":null}}",
          "{\"prefetch\":{\"spo2\":[1]}}",
          "{\"hook\":\"patient-view\",\"prefetch\":{\"x\":{\"a\":1}}}"
        }) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      assertThat(CdsRequestReader.read(json, b)).as(s).isEqualTo(json.readTree(b));
    }
  }
}
