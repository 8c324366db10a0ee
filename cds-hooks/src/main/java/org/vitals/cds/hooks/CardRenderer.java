package org.vitals.cds.hooks;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.vitals.cds.clinical.Codes;
import org.vitals.cds.clinical.Finding;
import org.vitals.cds.clinical.Finding.SuggestedOrder;
import org.vitals.cds.hooks.CdsJson.Action;
import org.vitals.cds.hooks.CdsJson.Card;
import org.vitals.cds.hooks.CdsJson.Coding;
import org.vitals.cds.hooks.CdsJson.Link;
import org.vitals.cds.hooks.CdsJson.Source;
import org.vitals.cds.hooks.CdsJson.Suggestion;

/**
 * Turns findings into CDS Hooks cards: a uuid (for feedback), the source with an absolute URL and a
 * topic, suggestions as draft ServiceRequests, override reasons, and a SMART link that opens the
 * doctor app on the patient with the card's topic in {@code appContext}.
 */
public final class CardRenderer {

  /** Override reasons offered on every card that has suggestions (display is required). */
  public static final List<Coding> OVERRIDE_REASONS =
      List.of(
          new Coding("already-addressed", Codes.OVERRIDE_REASON, "Already addressed"),
          new Coding("artefact", Codes.OVERRIDE_REASON, "Measurement artefact or sensor problem"),
          new Coding(
              "expected", Codes.OVERRIDE_REASON, "Expected for this patient (known condition)"),
          new Coding("not-relevant", Codes.OVERRIDE_REASON, "Not relevant now"));

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FhirContext fhir;
  private final String doctorAppUrl;

  public CardRenderer(FhirContext fhir, String doctorAppUrl) {
    this.fhir = fhir;
    this.doctorAppUrl = doctorAppUrl;
  }

  /**
   * Renders one finding.
   *
   * @param baseUrl this service's base URL, to make model-card sources absolute
   * @param patientId the patient
   * @param encounterId the encounter, or null
   * @param userId the user (Practitioner/..), or null
   */
  public Card render(
      Finding f, String baseUrl, String patientId, String encounterId, String userId) {
    String uuid = UUID.randomUUID().toString();
    String url = f.source().url().startsWith("/") ? baseUrl + f.source().url() : f.source().url();
    Source source =
        new Source(
            f.source().label(),
            url,
            new Coding(f.source().topic(), Codes.CARD_TOPIC, topicName(f)));
    List<Suggestion> suggestions = new ArrayList<>();
    for (SuggestedOrder o : f.orders()) {
      suggestions.add(
          new Suggestion(
              o.label(),
              UUID.randomUUID().toString(),
              o.recommended() ? Boolean.TRUE : null,
              List.of(
                  new Action(
                      "create",
                      o.label(),
                      serviceRequest(o, patientId, encounterId, userId),
                      null))));
    }
    ObjectNode app = JSON.createObjectNode();
    app.put("patientId", patientId);
    if (encounterId != null) {
      app.put("encounterId", encounterId);
    }
    app.put("focus", f.topic());
    app.put("cardUuid", uuid);
    Link link =
        new Link("Open in the Vitals doctor app", doctorAppUrl, "smart", app.toString(), null);
    return new Card(
        uuid,
        f.summary(),
        f.detail(),
        f.indicator().json(),
        source,
        suggestions,
        suggestions.isEmpty() ? null : "any",
        suggestions.isEmpty() ? null : OVERRIDE_REASONS,
        List.of(link));
  }

  private JsonNode serviceRequest(
      SuggestedOrder o, String patientId, String encounterId, String userId) {
    ServiceRequest sr = new ServiceRequest();
    sr.setStatus(ServiceRequest.ServiceRequestStatus.DRAFT);
    sr.setIntent(ServiceRequest.ServiceRequestIntent.PROPOSAL);
    sr.getCode().addCoding().setSystem(o.system()).setCode(o.code()).setDisplay(o.display());
    sr.getCode().setText(o.label());
    sr.getSubject().setReference("Patient/" + patientId);
    if (encounterId != null) {
      sr.getEncounter().setReference("Encounter/" + encounterId);
    }
    if (userId != null
        && (userId.startsWith("Practitioner/") || userId.startsWith("PractitionerRole/"))) {
      sr.getRequester().setReference(userId);
    }
    sr.addReasonCode().setText(o.reason());
    try {
      return JSON.readTree(fhir.newJsonParser().encodeResourceToString(sr));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String topicName(Finding f) {
    return switch (f.topic()) {
      case "news2" -> "NEWS2";
      case "ecg" -> "Arrhythmia";
      case "spo2" -> "Oxygen saturation";
      case "bp" -> "Blood pressure";
      case "glucose" -> "Glucose";
      case "data" -> "Data quality";
      case "baseline" -> "Admission baseline";
      default -> f.topic();
    };
  }
}
