package org.vitals.gateway.ingest.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.vitals.gateway.deadletter.DeadLetterStore;
import org.vitals.gateway.identity.DeviceDirectory;
import org.vitals.gateway.mapping.TemplateRegistry;
import org.vitals.gateway.wire.WireReadingParser;
import org.vitals.gateway.writing.FhirBatchWriter;
import org.vitals.gateway.writing.GatewayMetrics;
import org.vitals.gateway.writing.ReadingBatcher;
import org.vitals.gateway.writing.ReadingPipeline;

/**
 * The ACK paths that need no FHIR server: FHIR unreachable, malformed and unsupported messages
 * (dead-lettered with the original message), and a duplicate MSH-10 answered from the log.
 * Commit-then-AA and unknown patients run against the real FHIR server in MoreInputsIT.
 */
class Hl7IngestTest {
  final JdbcTemplate jdbc =
      new JdbcTemplate(
          new SingleConnectionDataSource("jdbc:h2:mem:hl7-" + System.nanoTime(), "sa", "", true));
  final DeadLetterStore store = new DeadLetterStore(jdbc);
  final Hl7MessageLog log = new Hl7MessageLog(jdbc);
  final IGenericClient nowhere;
  final Hl7Ingest ingest;

  Hl7IngestTest() throws Exception {
    FhirContext ctx = FhirContext.forR4Cached();
    ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    ctx.getRestfulClientFactory().setConnectTimeout(500);
    nowhere = ctx.newRestfulGenericClient("http://127.0.0.1:1/fhir"); // nothing listens on port 1
    TemplateRegistry templates = new TemplateRegistry(Files.createTempDirectory("tpl"));
    GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());
    ReadingPipeline pipeline =
        new ReadingPipeline(
            new WireReadingParser(),
            templates::current,
            store,
            metrics,
            dl ->
                new ReadingBatcher(
                    new FhirBatchWriter(
                        nowhere,
                        new DeviceDirectory(nowhere),
                        templates::current,
                        dl,
                        metrics,
                        Duration.ofSeconds(1)),
                    10,
                    Duration.ofMillis(50),
                    1),
            10);
    ingest =
        new Hl7Ingest(
            new OruReader(new WireReadingParser(), "gw", ZoneOffset.UTC),
            new PatientLookup(nowhere, null),
            log,
            pipeline,
            Duration.ofSeconds(2));
  }

  String[] handle(String message) {
    return ingest.handle(message.getBytes(StandardCharsets.UTF_8), Instant.now()).split("\r");
  }

  @Test
  void fhirUnreachableGivesAnAeToResendAndNoDeadLetter() {
    String[] ack = handle(Fixtures.hl7("intellivue-pcd01-v26.hl7"));
    assertTrue(ack[1].startsWith("MSA|AE|PIV-0001|FHIR server unavailable"), ack[1]);
    assertTrue(ack[2].startsWith("ERR||PID^1^3|207^"), ack[2]);
    assertEquals(0, store.count(null, null));
  }

  @Test
  void malformedAndUnsupportedMessagesAreDeadLetteredWithTheirReason() {
    String msg = Fixtures.hl7("bedside-oru-v231.hl7");
    String[] ack = handle(msg.replace("|98|", "|abc|"));
    assertTrue(ack[1].startsWith("MSA|AE|M231-0007|"), ack[1]);
    assertTrue(ack[2].startsWith("ERR|OBX^1^5^102&"), ack[2]); // v2.3.1 ERR-1 layout
    assertEquals(1, store.count("hl7-malformed", null));
    assertTrue(
        store
            .list(new DeadLetterStore.Query("hl7-malformed", null, null, true, 0, 1))
            .get(0)
            .payload()
            .contains("|abc|"));
    ack = handle(msg.replace("ORU^R01", "QRY^A19"));
    assertTrue(ack[1].startsWith("MSA|AR|M231-0007|"), ack[1]);
    assertEquals(1, store.count("hl7-unsupported", null));
    ack = handle("this is not HL7");
    assertTrue(ack[1].startsWith("MSA|AR||"), String.join("/", ack));
  }

  @Test
  void aMessageAlreadyAcceptedIsAnsweredFromTheLogWithoutWriting() {
    String msg = Fixtures.hl7("intellivue-pcd01-v26.hl7");
    String stored =
        "MSH|^~\\&|VITALS|VITALS|PAT_DEVICE_PHILIPS|PHILIPS|20261127060000+0000||ACK^R01^ACK|X|P|2.6\rMSA|AA|PIV-0001\r";
    log.accepted("PAT_DEVICE_PHILIPS|PHILIPS|PIV-0001", stored);
    assertEquals(stored, ingest.handle(msg.getBytes(StandardCharsets.UTF_8), Instant.now()));
    assertEquals(0, store.count(null, null));
  }
}
