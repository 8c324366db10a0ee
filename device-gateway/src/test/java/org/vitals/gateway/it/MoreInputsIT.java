package org.vitals.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.VitalSignsValidator;
import org.vitals.gateway.ingest.sensors.Max30102;
import org.vitals.gateway.ingest.sensors.Oximetry;
import org.vitals.gateway.ingest.sensors.Pi4jRegisterDevice;
import org.vitals.gateway.ingest.sensors.PulseOximeterNode;
import org.vitals.gateway.ingest.sensors.SensorReadings;
import org.vitals.gateway.ingest.serial.Crc16Ccitt;
import org.vitals.gateway.ingest.serial.SocatPair;
import org.vitals.gateway.wire.WireReadingParser;

/**
 * The other ways in, end to end against the real services: an HL7 v2 ORU^R01 over a real MLLP
 * socket, serial lines through a socat virtual port, a MAX30102 on Pi4J's mock platform forwarding
 * over the real Mosquitto, and a Bluetooth blood-pressure packet, each becoming valid vital-signs
 * Observations on the real FHIR server (PostgreSQL), through the gateway jar as a process.
 */
class MoreInputsIT {
  static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  static ItEnvironment.Gateway gateway;
  static IGenericClient fhir;
  static Publisher pub;
  static SocatPair cable;
  static int mllpPort;

  @BeforeAll
  static void start() throws Exception {
    ItEnvironment.requireMosquitto();
    ItEnvironment.FhirServer server = ItEnvironment.fhir();
    fhir = ItEnvironment.client(server.base());
    Path dataDir = Files.createTempDirectory("gw-inputs-it");
    cable = new SocatPair(Files.createTempDirectory("gw-serial-it")).start();
    mllpPort = ItEnvironment.freePort();
    gateway =
        new ItEnvironment.Gateway(
            "gateway-inputs", server.base(), ItEnvironment.MOSQUITTO, dataDir, "it-inputs-" + RUN);
    gateway.env.put("VITALS_MLLP_PORT", String.valueOf(mllpPort));
    gateway.env.put("VITALS_SERIAL_PORTS", cable.gateway.toString());
    gateway.env.put("VITALS_GATEWAY_ID", "it-inputs-gw");
    gateway.startNow();
    pub = new Publisher(ItEnvironment.MOSQUITTO);
  }

  @AfterAll
  static void stop() throws Exception {
    if (pub != null) {
      pub.close();
    }
    if (gateway != null) {
      gateway.stopNow();
    }
    if (cable != null) {
      cable.close();
    }
  }

  static String patientWithIdentifier(String value) {
    Patient p = new Patient();
    p.addName().setFamily("Inputs");
    p.addIdentifier().setSystem("urn:it:mrn").setValue(value);
    return fhir.create().resource(p).execute().getId().toUnqualifiedVersionless().getValue();
  }

  static List<Observation> observations(String patient) {
    Bundle b =
        fhir.search()
            .byUrl("Observation?subject=" + patient + "&_count=100")
            .returnBundle(Bundle.class)
            .execute();
    List<Observation> out = new ArrayList<>();
    b.getEntry().forEach(e -> out.add((Observation) e.getResource()));
    return out;
  }

  static void awaitObservations(String patient, int n) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> ItEnvironment.count(fhir, "subject=" + patient) >= n);
  }

  static void assertValid(List<Observation> all) {
    for (Observation o : all) {
      assertThat(VitalSignsValidator.errors(o)).as(o.getIdentifierFirstRep().getValue()).isEmpty();
    }
  }

  static String hl7(String name) throws Exception {
    try (InputStream in = MoreInputsIT.class.getResourceAsStream("/hl7/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\n", "\r");
    }
  }

  /** Sends one MLLP frame over a new TCP connection and returns the ACK's segments. */
  static String[] mllp(String message) throws Exception {
    try (Socket s = new Socket("127.0.0.1", mllpPort)) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(0x0B);
      out.write(message.getBytes(StandardCharsets.UTF_8));
      out.write(new byte[] {0x1C, 0x0D});
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream ack = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != -1) {
        if (b == 0x1C) {
          in.read(); // the trailing CR
          break;
        }
        if (b != 0x0B) {
          ack.write(b);
        }
      }
      return ack.toString(StandardCharsets.UTF_8).split("\r");
    }
  }

  static void assign(String dev, String patient) throws Exception {
    GatewayHttp.put(
        gateway.http() + "/api/devices/" + dev + "/assignment",
        "{\"patient\":\"" + patient + "\",\"start\":\"" + Instant.now().minusSeconds(3600) + "\"}");
  }

  static List<JsonNode> deadLetters(String reason) throws Exception {
    JsonNode n = GatewayHttp.get(gateway.http() + "/api/dead-letters?reason=" + reason);
    List<JsonNode> out = new ArrayList<>();
    n.path("entries").forEach(out::add);
    return out;
  }

  @Test
  void hl7OruOverMllpIsAcknowledgedAfterCommitAndWrittenOnce() throws Exception {
    String mrn = "HL7-" + RUN;
    String patient = patientWithIdentifier(mrn);
    String msg =
        hl7("intellivue-pcd01-v26.hl7")
            .replace("HL7-PAT-0001", mrn)
            .replace("PIV-0001", "PIV-" + RUN);
    String[] ack = mllp(msg);
    assertThat(ack[1]).startsWith("MSA|AA|PIV-" + RUN);
    // AA is sent only after the commit: the Observations are there when the ACK arrives.
    List<Observation> all = observations(patient);
    assertThat(all).hasSize(6);
    assertValid(all);
    assertThat(all).allSatisfy(o -> assertThat(o.getDevice().getReference()).startsWith("Device/"));

    String[] again = mllp(msg);
    assertThat(again[1]).startsWith("MSA|AA|PIV-" + RUN);
    assertThat(observations(patient)).hasSize(6);

    String wave =
        hl7("intellivue-ecg-waveform-v26.hl7")
            .replace("HL7-PAT-0001", mrn)
            .replace("PIV-W-0001", "PIVW-" + RUN);
    assertThat(mllp(wave)[1]).startsWith("MSA|AA|");
    Observation strip =
        observations(patient).stream()
            .filter(o -> o.hasComponent() && o.getComponentFirstRep().hasValueSampledData())
            .findFirst()
            .orElseThrow();
    assertThat(strip.getComponentFirstRep().getValueSampledData().getData().split(" ")).hasSize(12);

    String v231 =
        hl7("bedside-oru-v231.hl7")
            .replace("HL7-PAT-0003", mrn)
            .replace("M231-0007", "M231-" + RUN);
    assertThat(mllp(v231)[1]).startsWith("MSA|AA|");
    assertThat(observations(patient)).hasSize(6 + 1 + 3);
    assertValid(observations(patient));
  }

  @Test
  void hl7UnknownPatientGetsAnAeThatSaysSoAndIsDeadLettered() throws Exception {
    String msg =
        hl7("ge-style-oru-v25.hl7")
            .replace("HL7-PAT-0002", "NOBODY-" + RUN)
            .replace("GE-000042", "GE-" + RUN);
    String[] ack = mllp(msg);
    assertThat(ack[1]).startsWith("MSA|AE|GE-" + RUN).contains("unknown patient");
    assertThat(ack[2]).startsWith("ERR||PID^1^3|204^");
    assertThat(deadLetters("unknown-patient"))
        .anySatisfy(d -> assertThat(d.path("payload").asText()).contains("NOBODY-" + RUN));

    String[] bad = mllp(msg.replace("ORU^R01", "ADT^A01").replace("GE-" + RUN, "GEX-" + RUN));
    assertThat(bad[1]).startsWith("MSA|AR|GEX-" + RUN);
    assertThat(bad[2]).contains("200^Unsupported message type");
  }

  static String frame(String body) {
    return "$" + body + "*" + String.format("%04X", Crc16Ccitt.of(body)) + "\n";
  }

  @Test
  void serialLinesFromAVirtualPortBecomeObservations() throws Exception {
    String dev = "uno-" + RUN;
    String patient = ItEnvironment.createPatient(fhir, "Serial");
    assign(dev, patient);
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(cable.gateway));
    cable.write("# vitals: booting\n");
    cable.write(frame("H,1," + dev + ",5,0.1.0"));
    cable.write(frame("N,5,1,1000,hr,valid,72"));
    cable.write(frame("N,5,2,1100,spo2,valid,96"));
    cable.write("$N,5,3,1200,hr,valid,73*0000\n"); // bad CRC
    cable.write(frame("B,5,4,1300,valid,118,76,90,70"));
    awaitObservations(patient, 4);
    List<Observation> all = observations(patient);
    assertThat(all)
        .extracting(o -> o.getIdentifierFirstRep().getValue())
        .containsExactlyInAnyOrder(dev + ":5:1", dev + ":5:2", dev + ":5:4", dev + ":5:4:pr");
    assertValid(all);
    assertThat(deadLetters("bad-crc"))
        .anySatisfy(d -> assertThat(d.path("payload").asText()).startsWith("$N,5,3,"));
  }

  @Test
  void anUnassignedSerialNodesReadingIsKeptAndReplaysAfterAssignment() throws Exception {
    String dev = "uno-late-" + RUN;
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(cable.gateway));
    cable.write(frame("H,1," + dev + ",9,0.1.0"));
    cable.write(frame("N,9,1,1000,rr,valid,18"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                deadLetters("unassigned-device").stream()
                    .anyMatch(d -> d.path("identity").asText().equals(dev + ":9:1")));
    JsonNode entry =
        deadLetters("unassigned-device").stream()
            .filter(d -> d.path("identity").asText().equals(dev + ":9:1"))
            .findFirst()
            .orElseThrow();
    assertThat(entry.path("topic").asText()).isEqualTo("vitals/v1/it-inputs-gw/" + dev + "/rr");
    String patient = ItEnvironment.createPatient(fhir, "SerialLate");
    assign(dev, patient);
    GatewayHttp.post(
        gateway.http() + "/api/dead-letters/" + entry.path("id").asLong() + "/replay", "");
    awaitObservations(patient, 1);
    assertValid(observations(patient));
  }

  @Test
  void bluetoothBloodPressurePacketBecomesAnObservation() throws Exception {
    String dev = "cuff-" + RUN;
    String patient = ItEnvironment.createPatient(fhir, "Bluetooth");
    assign(dev, patient);
    pub.publish(
        "vitals/v1/it-phone/" + dev + "/gatt",
        "{\"v\":1,\"dev\":\""
            + dev
            + "\",\"boot\":1,\"seq\":1,\"ts\":"
            + Instant.now().toEpochMilli()
            + ",\"tsq\":\"gw\",\"uuid\":\"2A35\",\"hex\":\"00740047005600\"}");
    pub.publish(
        "vitals/v1/it-phone/" + dev + "/gatt",
        "{\"v\":1,\"dev\":\""
            + dev
            + "\",\"boot\":1,\"seq\":2,\"ts\":1,\"uuid\":\"2A35\",\"hex\":\"007400\"}");
    pub.flush();
    awaitObservations(patient, 1);
    List<Observation> all = observations(patient);
    assertThat(all).hasSize(1);
    assertValid(all);
    assertThat(all.get(0).getComponent().get(0).getValueQuantity().getValue())
        .isEqualByComparingTo("116");
    await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters("gatt-malformed").isEmpty());
  }

  @Test
  void pi4jMockSensorForwardedOverMqttBecomesObservations() throws Exception {
    String dev = "pi-max-" + RUN;
    String patient = ItEnvironment.createPatient(fhir, "Pi4j");
    assign(dev, patient);
    Context pi4j =
        Pi4J.newContextBuilder().add(new MockPlatform()).add(MockI2CProvider.newInstance()).build();
    try {
      Pi4jRegisterDevice reg = Pi4jRegisterDevice.open(pi4j, "max30102", 1, Max30102.ADDRESS);
      I2C i2c = reg.i2c();
      i2c.writeRegister(Max30102.PART_ID, (byte) 0x15);
      i2c.writeRegister(Max30102.MODE_CONFIG, (byte) 0x00);
      i2c.writeRegister(Max30102.INT_STATUS1, (byte) 0x00);
      Max30102 sensor = new Max30102(reg);
      sensor.configure(Max30102.Config.reference());
      for (int r : new int[] {Max30102.FIFO_WR_PTR, Max30102.OVF_COUNTER, Max30102.FIFO_RD_PTR}) {
        i2c.readRegister(r); // the zeros the driver wrote
      }
      List<String> published = new ArrayList<>();
      PulseOximeterNode node =
          new PulseOximeterNode(
              sensor,
              new Oximetry(Oximetry.Calibration.maxim(), 25),
              new SensorReadings(
                  "it-pi",
                  dev,
                  1,
                  new WireReadingParser(),
                  r -> {
                    try {
                      pub.publish(
                          "vitals/v1/it-pi/" + dev + "/" + r.get("metric").asText(), r.toString());
                      published.add(r.toString());
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }),
              ms -> {},
              Clock.systemUTC(),
              8,
              4);
      List<Max30102.Sample> stream = org.vitals.gateway.ingest.sensors.RecordedPpg.stream(0.6);
      for (int from = 0; from < stream.size(); from += 25) {
        List<Max30102.Sample> part = stream.subList(from, Math.min(stream.size(), from + 25));
        i2c.writeRegister(Max30102.OVF_COUNTER, (byte) 0);
        i2c.writeRegister(Max30102.FIFO_WR_PTR, (byte) part.size());
        i2c.writeRegister(Max30102.FIFO_RD_PTR, (byte) 0);
        byte[] bytes = new byte[part.size() * 6];
        for (int i = 0; i < part.size(); i++) {
          int[] v = {part.get(i).red(), part.get(i).ir()};
          for (int c = 0; c < 2; c++) {
            bytes[i * 6 + c * 3] = (byte) (v[c] >> 16);
            bytes[i * 6 + c * 3 + 1] = (byte) (v[c] >> 8);
            bytes[i * 6 + c * 3 + 2] = (byte) v[c];
          }
        }
        i2c.writeRegister(Max30102.FIFO_DATA, bytes, 0, bytes.length);
        node.poll();
      }
      pub.flush();
      assertThat(published).hasSize(4);
    } finally {
      pi4j.shutdown();
    }
    awaitObservations(patient, 4);
    List<Observation> all = observations(patient);
    assertValid(all);
    assertThat(all)
        .filteredOn(
            o ->
                o.getCode().getCodingFirstRep().getCode() != null
                    && o.getCode().getCoding().stream().anyMatch(c -> "2708-6".equals(c.getCode())))
        .allSatisfy(o -> assertThat(o.getValueQuantity().getValue()).isEqualByComparingTo("97"));
  }
}
