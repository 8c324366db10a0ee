package org.vitals.cds.hooks;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.vitals.cds.auth.CdsClientAuthFilter;
import org.vitals.cds.clinical.Finding;
import org.vitals.cds.clinical.PatientData;
import org.vitals.cds.config.CdsProperties;
import org.vitals.cds.fhir.CdsRequestReader;
import org.vitals.cds.fhir.FhirClients;
import org.vitals.cds.fhir.PatientQueries;
import org.vitals.cds.fhir.PatientRecordLoader;
import org.vitals.cds.hooks.CdsJson.Card;

/**
 * The CDS Hooks 2.0 endpoints: discovery, the {@code vitals-ai} patient-view service, the {@code
 * vitals-admission-baseline} encounter-start service and their feedback. Errors are
 * OperationOutcomes: 400 for a malformed request, 404 for an unknown service, 412 when the required
 * data was neither prefetched nor readable from {@code fhirServer}.
 */
@RestController
public class CdsServicesController {

  /** The patient-view service id. */
  public static final String PATIENT_VIEW = "vitals-ai";

  /** The encounter-start service id. */
  public static final String ENCOUNTER_START = "vitals-admission-baseline";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DecisionSupport support;
  private final PatientRecordLoader loader;
  private final FhirClients clients;
  private final CardRenderer renderer;
  private final CdsProperties props;
  private final IssuedCards issued = new IssuedCards();
  private final FeedbackStore feedback;

  public CdsServicesController(
      DecisionSupport support,
      PatientRecordLoader loader,
      FhirClients clients,
      CdsProperties props) {
    this.support = support;
    this.loader = loader;
    this.clients = clients;
    this.props = props;
    this.renderer = new CardRenderer(clients.context(), props.doctorAppUrl());
    this.feedback = new FeedbackStore(Path.of(props.dataDir()));
  }

  /** The stored feedback (tests and operators). */
  public FeedbackStore feedbackStore() {
    return feedback;
  }

  @GetMapping(value = "/cds-services", produces = MediaType.APPLICATION_JSON_VALUE)
  public CdsJson.Services discovery() {
    return new CdsJson.Services(
        List.of(
            new CdsJson.Service(
                "patient-view",
                "Vitals AI: deterioration, arrhythmia, oxygen, blood pressure and glucose",
                "Cards from the patient's monitored vital signs: NEWS2 with its RCP response band,"
                    + " ECG arrhythmia findings (AF, VEB runs), SpO2 desaturations, ACC/AHA blood"
                    + " pressure category and trend, glucose forecast with hypo/hyperglycaemia"
                    + " risk, and silent devices; conditions (COPD) and medications (beta-blockers)"
                    + " are taken into account.",
                PATIENT_VIEW,
                PatientQueries.TEMPLATES,
                "Needs read access to the patient's Observations, Conditions,"
                    + " MedicationStatements and MedicationRequests (prefetch or fhirAuthorization)."),
            new CdsJson.Service(
                "encounter-start",
                "Vitals admission baseline",
                "At admission: the 24-hour median of each vital sign and the NEWS2 they give, as"
                    + " the patient's baseline, and any silent monitoring device.",
                ENCOUNTER_START,
                PatientQueries.TEMPLATES,
                "Needs read access to the patient's Observations, Conditions and medications.")));
  }

  @PostMapping(
      value = "/cds-services/{id}",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<?> call(
      @PathVariable String id, @RequestBody byte[] body, HttpServletRequest http) {
    return answer(id, body, baseUrl(http));
  }

  /**
   * A service call on the raw request body: what {@link #call} answers, without HTTP (the start-up
   * warm-up runs the same code, {@link WarmUp}).
   *
   * @param base this service's base URL, for the cards' links
   */
  public ResponseEntity<?> answer(String id, byte[] raw, String base) {
    if (!PATIENT_VIEW.equals(id) && !ENCOUNTER_START.equals(id)) {
      return error(HttpStatus.NOT_FOUND, "no CDS service '" + id + "'; see GET /cds-services");
    }
    JsonNode body;
    try {
      body = CdsRequestReader.read(JSON, raw);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return error(HttpStatus.BAD_REQUEST, "request body is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      return error(HttpStatus.BAD_REQUEST, "request body cannot be read: " + e.getMessage());
    }
    String hook = PATIENT_VIEW.equals(id) ? "patient-view" : "encounter-start";
    String problem = validate(body, hook);
    if (problem != null) {
      return error(HttpStatus.BAD_REQUEST, problem);
    }
    JsonNode context = body.get("context");
    String patientId = stripType(context.path("patientId").asText(), "Patient/");
    String encounterId =
        context.hasNonNull("encounterId")
            ? stripType(context.get("encounterId").asText(), "Encounter/")
            : null;
    String userId = context.hasNonNull("userId") ? context.get("userId").asText() : null;
    IGenericClient server = null;
    if (body.hasNonNull("fhirServer")) {
      JsonNode auth = body.path("fhirAuthorization");
      String token = auth.hasNonNull("access_token") ? auth.get("access_token").asText() : null;
      server = clients.client(body.get("fhirServer").asText(), token);
    }
    Map<String, JsonNode> prefetch = new HashMap<>();
    JsonNode pf = body.path("prefetch");
    for (Iterator<Map.Entry<String, JsonNode>> it = pf.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      prefetch.put(e.getKey(), e.getValue());
    }
    PatientData data;
    try {
      data = loader.load(prefetch, server, patientId, Instant.now());
    } catch (PatientRecordLoader.MissingDataException e) {
      return error(HttpStatus.PRECONDITION_FAILED, e.getMessage());
    } catch (ca.uhn.fhir.parser.DataFormatException e) {
      return error(
          HttpStatus.BAD_REQUEST, "a prefetch value is not valid FHIR R4 JSON: " + e.getMessage());
    }
    List<Finding> findings =
        hook.equals("patient-view") ? support.patientView(data) : support.encounterStart(data);
    List<Card> cards = new ArrayList<>();
    for (Finding f : findings) {
      Card c = renderer.render(f, base, patientId, encounterId, userId);
      issued.remember(c.uuid(), new IssuedCards.Issued(id, patientId, f.topic(), c.indicator()));
      cards.add(c);
    }
    return ResponseEntity.ok(new CdsJson.Response(cards, null));
  }

  @PostMapping(
      value = "/cds-services/{id}/feedback",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<?> feedback(
      @PathVariable String id, @RequestBody JsonNode body, HttpServletRequest http) {
    if (!PATIENT_VIEW.equals(id) && !ENCOUNTER_START.equals(id)) {
      return error(HttpStatus.NOT_FOUND, "no CDS service '" + id + "'; see GET /cds-services");
    }
    List<JsonNode> items = new ArrayList<>();
    if (body.has("feedback")) {
      if (!body.get("feedback").isArray() || body.get("feedback").isEmpty()) {
        return error(HttpStatus.BAD_REQUEST, "feedback must be a non-empty array");
      }
      body.get("feedback").forEach(items::add);
    } else if (body.has("card")) {
      items.add(body); // the single-item shape some clients (and HAPI) use
    } else {
      return error(HttpStatus.BAD_REQUEST, "body must be {\"feedback\": [...]}");
    }
    List<ObjectNode> stored = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String problem = validateFeedback(item);
      if (problem != null) {
        return error(HttpStatus.BAD_REQUEST, "feedback[" + i + "]: " + problem);
      }
      ObjectNode row = JSON.createObjectNode();
      row.put("receivedAt", Instant.now().toString());
      row.put("service", id);
      Object issuer = http.getAttribute(CdsClientAuthFilter.ISSUER);
      if (issuer != null) {
        row.put("client", issuer.toString());
      }
      IssuedCards.Issued about = issued.get(item.get("card").asText());
      if (about != null) {
        row.put("patientId", about.patientId());
        row.put("topic", about.topic());
        row.put("indicator", about.indicator());
      }
      row.set("item", item);
      stored.add(row);
    }
    feedback.append(stored);
    return ResponseEntity.ok().build();
  }

  static String validate(JsonNode body, String hook) {
    if (body == null || !body.isObject()) {
      return "request body must be a JSON object";
    }
    if (!hook.equals(body.path("hook").asText())) {
      return "hook must be '" + hook + "', got '" + body.path("hook").asText() + "'";
    }
    if (body.path("hookInstance").asText().isBlank()) {
      return "hookInstance is required";
    }
    JsonNode context = body.get("context");
    if (context == null || !context.isObject()) {
      return "context is required";
    }
    if (context.path("patientId").asText().isBlank()) {
      return "context.patientId is required";
    }
    if (context.path("userId").asText().isBlank()) {
      return "context.userId is required";
    }
    if (hook.equals("encounter-start") && context.path("encounterId").asText().isBlank()) {
      return "context.encounterId is required for encounter-start";
    }
    if (body.hasNonNull("fhirAuthorization")) {
      if (!body.hasNonNull("fhirServer")) {
        return "fhirServer is required when fhirAuthorization is given";
      }
      JsonNode a = body.get("fhirAuthorization");
      if (a.path("access_token").asText().isBlank()
          || !"Bearer".equalsIgnoreCase(a.path("token_type").asText())) {
        return "fhirAuthorization needs access_token and token_type Bearer";
      }
    }
    if (body.has("prefetch") && !body.get("prefetch").isObject()) {
      return "prefetch must be an object of key → resource";
    }
    return null;
  }

  static String validateFeedback(JsonNode item) {
    if (item.path("card").asText().isBlank()) {
      return "card (the card's uuid) is required";
    }
    String outcome = item.path("outcome").asText();
    if (!outcome.equals("accepted") && !outcome.equals("overridden")) {
      return "outcome must be accepted or overridden, got '" + outcome + "'";
    }
    if (outcome.equals("accepted")) {
      JsonNode acc = item.get("acceptedSuggestions");
      if (acc == null || !acc.isArray() || acc.isEmpty()) {
        return "acceptedSuggestions is required when the outcome is accepted";
      }
      for (JsonNode a : (ArrayNode) acc) {
        if (a.path("id").asText().isBlank()) {
          return "each accepted suggestion needs an id";
        }
      }
    }
    String ts = item.path("outcomeTimestamp").asText();
    try {
      OffsetDateTime.parse(ts);
    } catch (DateTimeParseException e) {
      return "outcomeTimestamp must be an RFC 3339 date-time, got '" + ts + "'";
    }
    return null;
  }

  private String baseUrl(HttpServletRequest http) {
    if (props.publicUrl() != null && !props.publicUrl().isBlank()) {
      return props.publicUrl().replaceAll("/+$", "");
    }
    String url = http.getRequestURL().toString();
    return url.substring(0, url.indexOf(http.getRequestURI()));
  }

  private static String stripType(String id, String prefix) {
    return id.startsWith(prefix) ? id.substring(prefix.length()) : id;
  }

  static ResponseEntity<String> error(HttpStatus status, String message) {
    OperationOutcome oo = new OperationOutcome();
    oo.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(
            status == HttpStatus.PRECONDITION_FAILED
                ? OperationOutcome.IssueType.INCOMPLETE
                : status == HttpStatus.NOT_FOUND
                    ? OperationOutcome.IssueType.NOTFOUND
                    : OperationOutcome.IssueType.INVALID)
        .setDiagnostics(message);
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            ca.uhn.fhir.context.FhirContext.forR4Cached()
                .newJsonParser()
                .encodeResourceToString(oo));
  }
}
