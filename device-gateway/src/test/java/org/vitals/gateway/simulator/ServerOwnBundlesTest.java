package org.vitals.gateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's "server's own ingest" sends what the gateway sends for the same ward: the
 * simulator's readings of the case (other identities than the published ones), mapped by the
 * gateway's templates for the case's devices and patients, in the gateway's transaction shape.
 */
class ServerOwnBundlesTest {
  private static final Path DATA =
      Path.of(System.getProperty("vitals.data.dir", "../../shared/data"));

  private static Simulator.Run ward(int patients) throws Exception {
    assertThat(DATA.resolve("bidmc"))
        .as("the BIDMC numerics the simulator replays (vitals.data.dir)")
        .isDirectory();
    Simulator.Run sim =
        new Simulator.Run(
            new Simulator.Options(
                patients,
                61,
                "tcp://127.0.0.1:1",
                "http://127.0.0.1:1/fhir",
                DATA,
                false,
                null,
                1.0,
                0,
                "t1",
                "bench-gw",
                false, // no FHIR server: references below stand in for the created ones
                60,
                60,
                30,
                null));
    sim.prepare();
    return sim;
  }

  @Test
  void theWardsReadingsInTheGatewaysTransactionsWithIdentitiesOfTheirOwn() throws Exception {
    Simulator.Run sim = ward(10);
    List<String[]> payloads = sim.payloads(60, 1001);

    // Every patient sends SpO2, pulse, heart and respiratory rate each second, temperature every
    // 30 s, blood pressure and glucose every 60 s: the readings the simulator publishes.
    Map<String, Integer> perMetric = new HashMap<>();
    Set<String> identities = new HashSet<>();
    for (String[] tp : payloads) {
      perMetric.merge(tp[0].substring(tp[0].lastIndexOf('/') + 1), 1, Integer::sum);
      var r = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tp[1]);
      assertThat(r.get("boot").asLong()).isEqualTo(1001);
      identities.add(r.get("dev").asText() + ":" + r.get("seq").asLong());
    }
    assertThat(perMetric)
        .containsEntry("hr", 600)
        .containsEntry("pr", 600)
        .containsEntry("spo2", 600)
        .containsEntry("rr", 600)
        .containsEntry("temp", 20)
        .containsEntry("bp", 10)
        .containsEntry("glucose", 10);
    assertThat(identities).hasSize(payloads.size());
    // A second set for the same ward: its own identities again (boot counter), never the first's.
    assertThat(sim.payloads(60, 1002).get(0)[1]).contains("\"boot\":1002,\"seq\":1,");

    List<String> bodies =
        GatewayBenchmark.gatewayBundles(
            payloads,
            dev -> "Patient/p-" + dev.substring(dev.lastIndexOf("-p") + 2, dev.lastIndexOf('-')),
            dev -> "Device/" + dev,
            "Device/gw",
            1000,
            200);

    assertThat(bodies).hasSize(5);
    Set<String> seen = new HashSet<>();
    for (String body : bodies) {
      Bundle tx = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, body);
      assertThat(tx.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
      assertThat(tx.getEntry()).hasSize(200);
      for (var e : tx.getEntry()) {
        Observation o = (Observation) e.getResource();
        String id = o.getIdentifierFirstRep().getValue();
        assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
        assertThat(e.getRequest().getIfNoneExist())
            .isEqualTo("identifier=urn:vitals:sid:reading|" + id);
        assertThat(id).matches("sim-t1-p\\d+-(mon|bp|glu):1001:\\d+(:.*)?");
        assertThat(o.getDevice().getReference()).isEqualTo("Device/" + id.split(":")[0]);
        assertThat(o.getSubject().getReference())
            .isEqualTo("Patient/p-" + id.replaceAll("sim-t1-p(\\d+)-.*", "$1"));
        assertThat(o.getMeta().getProfile()).isNotEmpty();
        assertThat(o.getExtension()).isNotEmpty(); // the gateway-device extension
        seen.add(id);
      }
    }
    assertThat(seen).hasSize(1000);
  }
}
