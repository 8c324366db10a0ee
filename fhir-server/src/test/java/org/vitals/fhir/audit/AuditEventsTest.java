package org.vitals.fhir.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.junit.jupiter.api.Test;

class AuditEventsTest {

  @Test
  void aReadByAPatientAppNamesWhoWhatAndWhose() {
    AuditEvent event =
        AuditEvents.of(
            new AuditEvents.Access(
                RestOperationTypeEnum.READ,
                "Observation",
                "42",
                null,
                "Patient/p1",
                "vitals-patient-app",
                "p1",
                "10.0.0.7",
                200),
            new Date(0));
    assertThat(event.getAction()).isEqualTo(AuditEventAction.R);
    assertThat(event.getOutcome()).isEqualTo(AuditEventOutcome._0);
    assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
    assertThat(event.getType().getCode()).isEqualTo("rest");
    assertThat(event.getAgent().get(0).getWho().getReference()).isEqualTo("Patient/p1");
    assertThat(event.getAgent().get(0).getNetwork().getAddress()).isEqualTo("10.0.0.7");
    assertThat(event.getAgent().get(1).getWho().getIdentifier().getValue())
        .isEqualTo("vitals-patient-app");
    assertThat(event.getEntity())
        .extracting(e -> e.getWhat().getReference())
        .containsExactly("Observation/42", "Patient/p1");
  }

  @Test
  void searchesKeepTheirQueryAndFailuresTheirStatus() {
    AuditEvent search =
        AuditEvents.of(
            new AuditEvents.Access(
                RestOperationTypeEnum.SEARCH_TYPE,
                "Observation",
                null,
                "code=8867-4",
                null,
                "vitals-cds",
                null,
                null,
                403),
            new Date(0));
    assertThat(search.getOutcome()).isEqualTo(AuditEventOutcome._4);
    assertThat(search.getOutcomeDesc()).isEqualTo("HTTP 403");
    assertThat(new String(search.getEntityFirstRep().getQuery(), StandardCharsets.UTF_8))
        .isEqualTo("code=8867-4");
    assertThat(search.getAgentFirstRep().getWho().getDisplay()).contains("vitals-cds");
    AuditEvent create =
        AuditEvents.of(
            new AuditEvents.Access(
                RestOperationTypeEnum.CREATE,
                "Observation",
                null,
                null,
                null,
                null,
                null,
                null,
                500),
            new Date(0));
    assertThat(create.getAction()).isEqualTo(AuditEventAction.C);
    assertThat(create.getOutcome()).isEqualTo(AuditEventOutcome._8);
    assertThat(AuditEvents.action(RestOperationTypeEnum.PATCH)).isEqualTo(AuditEventAction.U);
    assertThat(AuditEvents.action(RestOperationTypeEnum.TRANSACTION)).isEqualTo(AuditEventAction.E);
  }
}
