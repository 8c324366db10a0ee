package org.vitals.fhir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.vitals.fhir.VitalSignsFixtures.*;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.vitals.fhir.security.testing.BackendTokens;

/**
 * What the FHIR server promises its clients, exercised through HAPI's generic client against a
 * running server. Subclasses choose the database (H2 file, PostgreSQL). Security is on: the client
 * holds a SMART backend-services token ({@code system/*.cruds}) of the test realm's admin client.
 */
abstract class FhirServerContract {

  static final FhirContext FHIR = FhirContext.forR4Cached();

  @LocalServerPort int port;

  IGenericClient client;
  BackendTokens tokens;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void client() {
    FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    FHIR.getRestfulClientFactory().setSocketTimeout(60_000);
    tokens = BackendTokens.admin(port);
    client = newClient();
  }

  IGenericClient newClient() {
    IGenericClient c = FHIR.newRestfulGenericClient(base());
    c.registerInterceptor(tokens);
    return c;
  }

  String base() {
    return "http://localhost:" + port + "/fhir";
  }

  String newPatient() {
    Patient patient = new Patient();
    patient.addIdentifier().setSystem("urn:vitals:mrn").setValue(UUID.randomUUID().toString());
    patient.addName().setFamily("Contract").addGiven("Test");
    return client
        .create()
        .resource(patient)
        .execute()
        .getId()
        .toUnqualifiedVersionless()
        .getValue();
  }

  int countObservations(String patient) {
    Bundle bundle =
        client
            .search()
            .forResource(Observation.class)
            .where(Observation.SUBJECT.hasId(patient))
            .count(1000)
            .returnBundle(Bundle.class)
            .execute();
    return bundle.getEntry().size();
  }

  @Test
  void metadataIsAnR4CapabilityStatement() {
    var capability =
        client.capabilities().ofType(org.hl7.fhir.r4.model.CapabilityStatement.class).execute();
    assertThat(capability.getFhirVersion().toCode()).isEqualTo("4.0.1");
    assertThat(capability.getRestFirstRep().getResource())
        .anySatisfy(r -> assertThat(r.getType()).isEqualTo("Observation"));
  }

  @Test
  void createReadAndSearchVitalSigns() {
    String patient = newPatient();
    MethodOutcome created = client.create().resource(heartRate(patient, 72)).execute();
    assertThat(created.getCreated()).isTrue();
    Observation read =
        client
            .read()
            .resource(Observation.class)
            .withId(created.getId().toUnqualifiedVersionless())
            .execute();
    assertThat(read.getValueQuantity().getValue().doubleValue()).isEqualTo(72.0);

    client.create().resource(spo2(patient, 96)).execute();
    Bundle byCode =
        client
            .search()
            .forResource(Observation.class)
            .where(Observation.SUBJECT.hasId(patient))
            .and(Observation.CODE.exactly().systemAndCode(LOINC, "2708-6"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(byCode.getEntry()).hasSize(1);
    Bundle byCategory =
        client
            .search()
            .forResource(Observation.class)
            .where(Observation.PATIENT.hasId(patient))
            .and(Observation.CATEGORY.exactly().systemAndCode(CATEGORY, "vital-signs"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(byCategory.getEntry()).hasSize(2);
  }

  @Test
  void transactionWritesEveryEntry() {
    String patient = newPatient();
    Bundle tx = new Bundle().setType(BundleType.TRANSACTION);
    for (int i = 0; i < 20; i++) {
      tx.addEntry()
          .setResource(heartRate(patient, 60 + i))
          .getRequest()
          .setMethod(HTTPVerb.POST)
          .setUrl("Observation");
    }
    Bundle response = client.transaction().withBundle(tx).execute();
    assertThat(response.getEntry())
        .hasSize(20)
        .allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
    assertThat(countObservations(patient)).isEqualTo(20);
  }

  @Test
  void conditionalCreateReturnsTheExistingResource() {
    String patient = newPatient();
    String readingId = UUID.randomUUID().toString();
    String match = "identifier=" + READING_ID_SYSTEM + "|" + readingId;
    MethodOutcome first =
        client
            .create()
            .resource(withReadingId(heartRate(patient, 70), readingId))
            .conditionalByUrl("Observation?" + match)
            .execute();
    MethodOutcome second =
        client
            .create()
            .resource(withReadingId(heartRate(patient, 70), readingId))
            .conditionalByUrl("Observation?" + match)
            .execute();
    assertThat(first.getCreated()).isTrue();
    assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
    assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
    assertThat(countObservations(patient)).isEqualTo(1);
  }

  @Test
  void conditionalCreateInTransactionsIsIdempotent() {
    String patient = newPatient();
    Bundle tx = new Bundle().setType(BundleType.TRANSACTION);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String readingId = UUID.randomUUID().toString();
      ids.add(readingId);
      tx.addEntry()
          .setResource(withReadingId(heartRate(patient, 60 + i), readingId))
          .getRequest()
          .setMethod(HTTPVerb.POST)
          .setUrl("Observation")
          .setIfNoneExist("identifier=" + READING_ID_SYSTEM + "|" + readingId);
    }
    Bundle first = client.transaction().withBundle(tx).execute();
    Bundle replay = client.transaction().withBundle(tx).execute();
    assertThat(first.getEntry())
        .allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
    assertThat(replay.getEntry())
        .allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("200"));
    for (int i = 0; i < 10; i++) {
      assertThat(replay.getEntry().get(i).getResponse().getLocation())
          .startsWith(
              first.getEntry().get(i).getResponse().getLocation().replaceAll("/_history/.*", ""));
    }
    assertThat(countObservations(patient)).isEqualTo(10);
  }

  @Test
  void conditionalUrlsInBareQualifiedAndCompoundFormsFindTheSameResource() {
    String patient = newPatient();
    List<String> readings = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      readings.add(UUID.randomUUID().toString());
    }
    // FHIR's bare query, HAPI's qualified URL, and a two-parameter query: each form must find
    // what any other form created (the server rewrites and memoizes these URLs).
    List<java.util.function.Function<String, String>> forms =
        List.of(
            r -> "identifier=" + READING_ID_SYSTEM + "|" + r,
            r -> "Observation?identifier=" + READING_ID_SYSTEM + "|" + r,
            r -> "identifier=" + READING_ID_SYSTEM + "|" + r + "&subject=" + patient);
    List<String> locations = null;
    for (int round = 0; round < forms.size(); round++) {
      Bundle tx = new Bundle().setType(BundleType.TRANSACTION);
      for (int i = 0; i < readings.size(); i++) {
        tx.addEntry()
            .setResource(withReadingId(heartRate(patient, 70 + i), readings.get(i)))
            .getRequest()
            .setMethod(HTTPVerb.POST)
            .setUrl("Observation")
            .setIfNoneExist(forms.get((i + round) % forms.size()).apply(readings.get(i)));
      }
      Bundle response = client.transaction().withBundle(tx).execute();
      List<String> these =
          response.getEntry().stream()
              .map(e -> e.getResponse().getLocation().replaceAll("/_history/.*", ""))
              .toList();
      if (locations == null) {
        locations = these;
        assertThat(response.getEntry())
            .allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
      } else {
        assertThat(these).as("round %d", round).isEqualTo(locations);
        assertThat(response.getEntry())
            .allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("200"));
      }
    }
    assertThat(countObservations(patient)).isEqualTo(readings.size());
  }

  @Test
  void twoEntriesWithOneConditionalUrlInATransactionAreRefusedAndNothingIsWritten() {
    String patient = newPatient();
    String reading = UUID.randomUUID().toString();
    Bundle tx = new Bundle().setType(BundleType.TRANSACTION);
    for (int i = 0; i < 2; i++) {
      tx.addEntry()
          .setResource(withReadingId(heartRate(patient, 90 + i), reading))
          .getRequest()
          .setMethod(HTTPVerb.POST)
          .setUrl("Observation")
          .setIfNoneExist("identifier=" + READING_ID_SYSTEM + "|" + reading);
    }
    assertThatThrownBy(() -> client.transaction().withBundle(tx).execute())
        .isInstanceOf(BaseServerResponseException.class)
        .satisfies(
            e -> {
              assertThat(((BaseServerResponseException) e).getStatusCode()).isBetween(400, 499);
              assertThat(((BaseServerResponseException) e).getOperationOutcome()).isNotNull();
            });
    assertThat(countObservations(patient)).isZero();
  }

  @Test
  void concurrentIdenticalConditionalCreatesMakeOneResource() throws Exception {
    String patient = newPatient();
    int clients = 6;
    for (int round = 0; round < 5; round++) {
      String readingId = UUID.randomUUID().toString();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<String>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        results.add(
            pool.submit(
                () -> {
                  IGenericClient own = newClient();
                  start.await();
                  return own.create()
                      .resource(withReadingId(heartRate(patient, 80), readingId))
                      .conditionalByUrl(
                          "Observation?identifier=" + READING_ID_SYSTEM + "|" + readingId)
                      .execute()
                      .getId()
                      .getIdPart();
                }));
      }
      start.countDown();
      Set<String> ids = new java.util.HashSet<>();
      for (Future<String> result : results) {
        ids.add(result.get(60, TimeUnit.SECONDS));
      }
      pool.shutdown();
      assertThat(ids).as("ids returned to %d concurrent identical creates", clients).hasSize(1);
    }
    assertThat(countObservations(patient)).isEqualTo(5);
  }

  @Test
  void nonConformingVitalSignIsRejectedWith422AndTheFailedRule() {
    String patient = newPatient();
    Observation wrongUnit = heartRate(patient, 72);
    wrongUnit.getValueQuantity().setCode("count/min");
    assertThatThrownBy(() -> client.create().resource(wrongUnit).execute())
        .isInstanceOfSatisfying(
            UnprocessableEntityException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(422);
              OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
              assertThat(outcome.getIssueFirstRep().getDiagnostics())
                  .contains("Observation.valueQuantity.code")
                  .contains("count/min")
                  .contains("heartrate");
            });
    assertThat(countObservations(patient)).isZero();
  }

  @Test
  void aTransactionWithOneBadEntryWritesNothing() {
    String patient = newPatient();
    Bundle tx = new Bundle().setType(BundleType.TRANSACTION);
    for (int i = 0; i < 5; i++) {
      tx.addEntry()
          .setResource(heartRate(patient, 70))
          .getRequest()
          .setMethod(HTTPVerb.POST)
          .setUrl("Observation");
    }
    Observation noUnitSystem = bloodPressure(patient, 120, 80);
    noUnitSystem.getComponentFirstRep().getValueQuantity().setCode("mmHg");
    tx.addEntry()
        .setResource(noUnitSystem)
        .getRequest()
        .setMethod(HTTPVerb.POST)
        .setUrl("Observation");
    assertThatThrownBy(() -> client.transaction().withBundle(tx).execute())
        .isInstanceOfSatisfying(
            BaseServerResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains("SystolicBP").contains("mmHg");
            });
    assertThat(countObservations(patient)).isZero();
  }

  @Test
  void latestVitalsGivesTheNewestOfEachSign() {
    String patient = newPatient();
    Observation oldHr = heartRate(patient, 60);
    oldHr.setEffective(new org.hl7.fhir.r4.model.DateTimeType("2026-01-01T10:00:00Z"));
    Observation newHr = heartRate(patient, 99);
    newHr.setEffective(new org.hl7.fhir.r4.model.DateTimeType("2026-01-01T11:00:00Z"));
    Observation bp = bloodPressure(patient, 130, 85);
    client.create().resource(newHr).execute();
    client.create().resource(oldHr).execute();
    client.create().resource(bp).execute();
    Bundle latest =
        client
            .operation()
            .onInstance(patient)
            .named("$latest-vitals")
            .withNoParameters(org.hl7.fhir.r4.model.Parameters.class)
            .useHttpGet()
            .returnResourceType(Bundle.class)
            .execute();
    assertThat(latest.getEntry()).hasSize(2);
    Observation hr =
        latest.getEntry().stream()
            .map(e -> (Observation) e.getResource())
            .filter(
                o -> o.getCode().getCoding().stream().anyMatch(c -> c.getCode().equals("8867-4")))
            .findFirst()
            .orElseThrow();
    assertThat(hr.getValueQuantity().getValue().intValue()).isEqualTo(99);
  }

  @Test
  void containedResourcesAreStoredAndServedWithTheirLocalReferences() throws Exception {
    // The server skips HAPI's search for in-memory reference targets to contain (HapiJpaConfig):
    // resources a client contains itself must come back unchanged.
    Observation observation = heartRate(newPatient(), 64);
    Device monitor = new Device();
    monitor.setId("monitor");
    monitor.addIdentifier().setSystem("urn:vitals:device").setValue("bedside-7");
    observation.addContained(monitor);
    observation.setDevice(new Reference("#monitor"));
    HttpResponse<String> created =
        post("/Observation", FHIR.newJsonParser().encodeResourceToString(observation));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String location = created.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> read =
        http.send(
            HttpRequest.newBuilder(URI.create(location))
                .header("Authorization", tokens.authorization())
                .header("Accept", "application/fhir+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Observation stored = FHIR.newJsonParser().parseResource(Observation.class, read.body());
    assertThat(read.body()).contains("\"reference\":\"#monitor\"");
    assertThat(stored.getContained())
        .singleElement()
        .satisfies(
            r ->
                assertThat(((Device) r).getIdentifierFirstRep().getValue()).isEqualTo("bedside-7"));
  }

  @Test
  void malformedJsonGetsAnOperationOutcome() throws Exception {
    HttpResponse<String> response = post("/Observation", "{\"resourceType\": \"Observation\", ");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("OperationOutcome").contains("parse");
  }

  @Test
  void unknownResourceTypeGetsAnOperationOutcome() throws Exception {
    HttpResponse<String> response = post("/Vitalsign", "{\"resourceType\": \"Vitalsign\"}");
    assertThat(response.statusCode()).isBetween(400, 499);
    assertThat(response.body())
        .contains("OperationOutcome")
        .contains("Unknown resource type 'Vitalsign'");
  }

  @Test
  void anotherFhirVersionIsRefused() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/Observation"))
                .header("Authorization", tokens.authorization())
                .header("Content-Type", "application/fhir+json; fhirVersion=3.0")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        FHIR.newJsonParser().encodeResourceToString(heartRate("Patient/x", 1))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(response.body()).contains("OperationOutcome").contains("fhirVersion=3.0");
  }

  @Test
  void bundlesOverTheEntryLimitAreRefused() throws Exception {
    String patient = newPatient();
    Bundle tx = new Bundle().setType(BundleType.TRANSACTION);
    for (int i = 0; i < 1001; i++) {
      tx.addEntry()
          .setResource(heartRate(patient, 70))
          .getRequest()
          .setMethod(HTTPVerb.POST)
          .setUrl("Observation");
    }
    HttpResponse<String> response = post("", FHIR.newJsonParser().encodeResourceToString(tx));
    assertThat(response.statusCode()).isBetween(400, 499);
    assertThat(response.body()).contains("OperationOutcome").contains("1000");
    assertThat(countObservations(patient)).isZero();
  }

  @Test
  void oversizedBodiesAreRefusedWith413() throws Exception {
    String huge =
        "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
            + "{},".repeat(6_000_000)
            + "{}]}";
    HttpResponse<String> response = post("", huge);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("OperationOutcome").contains("VITALS_MAX_REQUEST_BYTES");
  }

  @Test
  void websocketSubscribersAreToldOfNewObservations() throws Exception {
    String patient = newPatient();
    String subscriptionId = activeSubscription(patient, SubscriptionChannelType.WEBSOCKET, null);
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket socket =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://localhost:" + port + "/websocket?access_token=" + tokens.token()),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    messages.add(data.toString());
                    ws.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    try {
      socket.sendText("bind " + subscriptionId, true).get(5, TimeUnit.SECONDS);
      assertThat(messages.poll(10, TimeUnit.SECONDS)).startsWith("bound " + subscriptionId);
      client.create().resource(heartRate(patient, 88)).execute();
      assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("ping " + subscriptionId);
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  @Test
  void restHookSubscribersReceiveNewObservations() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        exchange -> {
          received.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    hook.start();
    try {
      String patient = newPatient();
      activeSubscription(
          patient,
          SubscriptionChannelType.RESTHOOK,
          "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
      client.create().resource(spo2(patient, 91)).execute();
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(received)
                      .anySatisfy(body -> assertThat(body).contains("\"2708-6\"").contains("91")));
    } finally {
      hook.stop(0);
    }
  }

  String activeSubscription(String patient, SubscriptionChannelType type, String endpoint) {
    Subscription subscription = new Subscription();
    subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    subscription.setReason("new vitals for " + patient);
    subscription.setCriteria("Observation?subject=" + patient);
    subscription.getChannel().setType(type).setPayload("application/fhir+json");
    if (endpoint != null) {
      subscription.getChannel().setEndpoint(endpoint);
    }
    String id =
        client
            .create()
            .resource(subscription)
            .execute()
            .getId()
            .toUnqualifiedVersionless()
            .getValue();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                client.read().resource(Subscription.class).withId(id).execute().getStatus()
                    == Subscription.SubscriptionStatus.ACTIVE);
    // The matcher's in-memory registry picks the activated Subscription up asynchronously.
    await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
    return id.replace("Subscription/", "");
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Authorization", tokens.authorization())
            .header("Content-Type", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
