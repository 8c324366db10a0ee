package org.vitals.fhir.audit;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * Builds the AuditEvent of one FHIR request, following the shape of IHE Basic Audit Log Patterns
 * (BALP) for RESTful activity: type {@code rest}, subtype the FHIR interaction, agents (the user,
 * the client app), the resource and the patient concerned, and the outcome.
 */
public final class AuditEvents {

  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String AUDIT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
  static final String INTERACTION = "http://hl7.org/fhir/restful-interaction";
  static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
  static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
  static final String OBSERVER = "vitals-fhir-server";

  private AuditEvents() {}

  /** What an audited request was; every field may be null except operation and status. */
  public record Access(
      RestOperationTypeEnum operation,
      String resourceType,
      String resourceId,
      String query,
      String fhirUser,
      String clientId,
      String patient,
      String remoteAddress,
      int status) {}

  public static AuditEvent of(Access access, Date recorded) {
    AuditEvent event = new AuditEvent();
    event.setType(new Coding(AUDIT_TYPE, "rest", "Restful Operation"));
    event.addSubtype(new Coding(INTERACTION, interaction(access.operation()), null));
    event.setAction(action(access.operation()));
    event.setRecorded(recorded);
    event.setOutcome(outcome(access.status()));
    event.setOutcomeDesc("HTTP " + access.status());
    AuditEvent.AuditEventAgentComponent user = event.addAgent().setRequestor(true);
    user.getType().addCoding(new Coding(PARTICIPATION, "IRCP", "information recipient"));
    if (access.fhirUser() != null) {
      user.setWho(new Reference(access.fhirUser()));
    } else if (access.clientId() != null) {
      user.getWho().setDisplay("backend service " + access.clientId());
    } else {
      user.getWho().setDisplay("anonymous");
    }
    if (access.remoteAddress() != null) {
      user.getNetwork()
          .setAddress(access.remoteAddress())
          .setType(AuditEvent.AuditEventAgentNetworkType._2);
    }
    if (access.clientId() != null) {
      AuditEvent.AuditEventAgentComponent app = event.addAgent().setRequestor(false);
      app.getType().addCoding(new Coding(DCM, "110150", "Application"));
      app.getWho().getIdentifier().setSystem("urn:vitals:oauth-client").setValue(access.clientId());
    }
    event.getSource().setSite(OBSERVER);
    event.getSource().getObserver().setDisplay(OBSERVER);
    event
        .getSource()
        .addType(
            new Coding(
                "http://terminology.hl7.org/CodeSystem/security-source-type",
                "4",
                "Application Server"));
    if (access.resourceType() != null) {
      AuditEvent.AuditEventEntityComponent entity = event.addEntity();
      entity.setType(new Coding("http://hl7.org/fhir/resource-types", access.resourceType(), null));
      entity.setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
      if (access.resourceId() != null) {
        entity.setWhat(new Reference(access.resourceType() + "/" + access.resourceId()));
      }
      if (access.query() != null && !access.query().isEmpty()) {
        entity.setQuery(access.query().getBytes(StandardCharsets.UTF_8));
      }
    }
    if (access.patient() != null) {
      AuditEvent.AuditEventEntityComponent patient = event.addEntity();
      patient.setWhat(new Reference("Patient/" + access.patient()));
      patient.setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
    }
    return event;
  }

  static AuditEventOutcome outcome(int status) {
    if (status < 400) {
      return AuditEventOutcome._0;
    }
    return status < 500 ? AuditEventOutcome._4 : AuditEventOutcome._8;
  }

  static AuditEventAction action(RestOperationTypeEnum operation) {
    if (operation == null) {
      return AuditEventAction.E;
    }
    return switch (operation) {
      case CREATE -> AuditEventAction.C;
      case READ,
          VREAD,
          SEARCH_TYPE,
          SEARCH_SYSTEM,
          HISTORY_INSTANCE,
          HISTORY_TYPE,
          HISTORY_SYSTEM,
          GET_PAGE ->
          AuditEventAction.R;
      case UPDATE, PATCH -> AuditEventAction.U;
      case DELETE -> AuditEventAction.D;
      default -> AuditEventAction.E;
    };
  }

  static String interaction(RestOperationTypeEnum operation) {
    if (operation == null) {
      return "operation";
    }
    return switch (operation) {
      case READ -> "read";
      case VREAD -> "vread";
      case UPDATE -> "update";
      case PATCH -> "patch";
      case DELETE -> "delete";
      case HISTORY_INSTANCE -> "history-instance";
      case HISTORY_TYPE -> "history-type";
      case HISTORY_SYSTEM -> "history-system";
      case CREATE -> "create";
      case SEARCH_TYPE, GET_PAGE -> "search-type";
      case SEARCH_SYSTEM -> "search-system";
      case TRANSACTION -> "transaction";
      case BATCH -> "batch";
      case METADATA -> "capabilities";
      default -> "operation";
    };
  }
}
