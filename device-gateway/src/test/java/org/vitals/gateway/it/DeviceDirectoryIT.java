package org.vitals.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.DeviceUseStatement;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.identity.DeviceDirectory;
import org.vitals.gateway.identity.DeviceIdentity;
import org.vitals.gateway.security.BearerTokenInterceptor;
import org.vitals.gateway.security.SmartBackendToken;

/**
 * The device cache against the real FHIR server on PostgreSQL, with the gateway's own token: it
 * saves the search while nothing changes, and any Device or DeviceUseStatement change by another
 * client (including a deletion) is seen by the next lookup.
 */
class DeviceDirectoryIT {

  static IGenericClient other;
  static String base;

  /** Request lines the gateway's client sent. */
  final List<String> requests = new ArrayList<>();

  @BeforeAll
  static void server() throws Exception {
    base = ItEnvironment.fhir().base();
    other = ItEnvironment.client(base);
  }

  DeviceDirectory directory(Duration margin) {
    FhirContext ctx = FhirContext.forR4Cached();
    IGenericClient gateway = ctx.newRestfulGenericClient(base);
    gateway.registerInterceptor(
        new BearerTokenInterceptor(
            new SmartBackendToken(
                base,
                ItEnvironment.GATEWAY_CLIENT,
                ItEnvironment.GATEWAY_KEY.toJSONString(),
                ItEnvironment.GATEWAY_SCOPES,
                Clock.systemUTC())));
    gateway.registerInterceptor(
        new IClientInterceptor() {
          @Override
          public void interceptRequest(IHttpRequest request) {
            requests.add(request.getHttpVerbName() + " " + request.getUri());
          }

          @Override
          public void interceptResponse(IHttpResponse response) {}
        });
    return new DeviceDirectory(gateway, () -> true, Clock.systemUTC(), margin);
  }

  /**
   * An active assignment of the device to the patient from a minute ago, written by another client.
   */
  static String assignThroughFhir(String deviceRef, String patient) {
    DeviceUseStatement dus = new DeviceUseStatement();
    dus.setStatus(DeviceUseStatement.DeviceUseStatementStatus.ACTIVE);
    dus.setSubject(new Reference(patient));
    dus.setDevice(new Reference(deviceRef));
    dus.setTiming(new Period().setStart(Date.from(Instant.now().minusSeconds(60))));
    return other.create().resource(dus).execute().getId().toUnqualifiedVersionless().getValue();
  }

  long searches() {
    return requests.stream().filter(r -> r.contains("Device/_search")).count();
  }

  @Test
  void nothingChangedMeansNoSearchAndAnyChangeByAnotherClientIsSeenByTheNextLookup()
      throws Exception {
    // A short margin, so the test need not wait a minute for its own writes to age out of it.
    DeviceDirectory directory = directory(Duration.ofMillis(500));
    String a = ItEnvironment.createPatient(other, "CacheA");
    String b = ItEnvironment.createPatient(other, "CacheB");
    String dev = "it-cache-" + UUID.randomUUID();

    DeviceIdentity created = directory.device(dev);
    assertThat(created.patientAt(Instant.now())).isEmpty();
    String first = assignThroughFhir(created.reference(), a);
    Thread.sleep(1_100);

    // The gateway's own creation and the new assignment are changes: searched again.
    assertThat(directory.device(dev).patientAt(Instant.now())).contains(a);
    long afterRefresh = searches();
    Thread.sleep(1_100);

    // Nothing changed since: the cached assignment, no search.
    for (int i = 0; i < 3; i++) {
      assertThat(directory.device(dev).patientAt(Instant.now())).contains(a);
    }
    assertThat(searches()).isEqualTo(afterRefresh);
    assertThat(requests).anySatisfy(r -> assertThat(r).contains("DeviceUseStatement/_history"));

    // Another client ends the assignment and assigns the device to someone else.
    DeviceUseStatement ended =
        other.read().resource(DeviceUseStatement.class).withId(first).execute();
    ended.setStatus(DeviceUseStatement.DeviceUseStatementStatus.COMPLETED);
    ended.getTimingPeriod().setEnd(Date.from(Instant.now().minusSeconds(30)));
    other.update().resource(ended).execute();
    String second = assignThroughFhir(created.reference(), b);
    assertThat(directory.device(dev).patientAt(Instant.now())).contains(b);
    assertThat(searches()).isGreaterThan(afterRefresh);

    // A deletion shows in the history, not in a search: the cache still notices it.
    Thread.sleep(1_100);
    directory.device(dev);
    long beforeDelete = searches();
    other.delete().resourceById(new org.hl7.fhir.r4.model.IdType(second)).execute();
    DeviceIdentity afterDelete = directory.device(dev);
    assertThat(searches()).isGreaterThan(beforeDelete);
    assertThat(afterDelete.patientAt(Instant.now())).isEmpty();
  }

  long historyRequests() {
    return requests.stream().filter(r -> r.contains("/_history")).count();
  }

  @Test
  void readingsReceivedBeforeACheckStartedShareItAndAReassignmentBeforeAReadingAlwaysApplies()
      throws Exception {
    DeviceDirectory directory = directory(Duration.ofMillis(500));
    String a = ItEnvironment.createPatient(other, "ShareA");
    String b = ItEnvironment.createPatient(other, "ShareB");
    String dev = "it-share-" + UUID.randomUUID();
    String ref = directory.device(dev).reference();
    String first = assignThroughFhir(ref, a);
    Thread.sleep(1_100);

    // A batch whose readings arrived before the check: one check, the current patient.
    long received = System.nanoTime();
    assertThat(directory.devices(List.of(dev), received).get(dev).patientAt(Instant.now()))
        .contains(a);
    long checks = historyRequests();
    long searched = searches();
    double counted = directory.changeChecks();

    // More batches of readings received before that check started: no request at all.
    for (int i = 0; i < 3; i++) {
      assertThat(directory.devices(List.of(dev), received).get(dev).patientAt(Instant.now()))
          .contains(a);
    }
    assertThat(historyRequests()).isEqualTo(checks);
    assertThat(searches()).isEqualTo(searched);
    assertThat(directory.changeChecks()).isEqualTo(counted); // the gateway's metric agrees

    // Another client reassigns the device; a reading received after that is checked again and
    // goes to the new patient.
    DeviceUseStatement ended =
        other.read().resource(DeviceUseStatement.class).withId(first).execute();
    ended.setStatus(DeviceUseStatement.DeviceUseStatementStatus.COMPLETED);
    ended.getTimingPeriod().setEnd(Date.from(Instant.now().minusSeconds(30)));
    other.update().resource(ended).execute();
    assignThroughFhir(ref, b);
    // Readings received before the reassignment may still be written with the check they share.
    assertThat(directory.devices(List.of(dev), received).get(dev).patientAt(Instant.now()))
        .contains(a);
    assertThat(historyRequests()).isEqualTo(checks);
    long afterReassignment = System.nanoTime();
    assertThat(directory.devices(List.of(dev), afterReassignment).get(dev).patientAt(Instant.now()))
        .contains(b);
    assertThat(historyRequests()).isGreaterThan(checks);
  }

  @Test
  void withTheDefaultMarginARecentChangeIsAlwaysSearchedAgain() {
    DeviceDirectory directory = directory(DeviceDirectory.CHANGE_MARGIN);
    String dev = "it-cache-" + UUID.randomUUID();
    directory.device(dev);
    long first = searches();
    // The device was created a moment ago, inside the margin: every lookup searches.
    directory.device(dev);
    directory.device(dev);
    assertThat(searches()).isEqualTo(first + 2);
  }
}
