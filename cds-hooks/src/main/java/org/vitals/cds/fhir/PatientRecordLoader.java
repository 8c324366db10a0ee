package org.vitals.cds.fhir;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;
import org.vitals.cds.clinical.ClinicalContext;
import org.vitals.cds.clinical.EcgStrip;
import org.vitals.cds.clinical.PatientData;
import org.vitals.cds.clinical.Reading;

/**
 * Builds a {@link PatientData} from prefetched resources, querying the FHIR server for every key
 * the client did not prefetch (or sent as an OperationOutcome) and following {@code next} links of
 * paginated Bundles. A required key that neither source can give raises {@link
 * MissingDataException} (the service answers 412).
 */
@Component
public class PatientRecordLoader {

  /** Pages followed per key at most (a runaway server cannot make us read forever). */
  static final int MAX_PAGES = 10;

  private final FhirClients clients;
  private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> daemon(r));

  public PatientRecordLoader(FhirClients clients) {
    this.clients = clients;
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "fhir-fetch");
    t.setDaemon(true);
    return t;
  }

  /** Required data could not be had; {@code keys} says which and {@code reason} why. */
  public static class MissingDataException extends RuntimeException {
    private final List<String> keys;

    public MissingDataException(List<String> keys, String reason) {
      super(reason);
      this.keys = List.copyOf(keys);
    }

    public List<String> keys() {
      return keys;
    }
  }

  /**
   * Loads the patient's record.
   *
   * @param prefetch key → JSON as the client sent it (may be empty)
   * @param server a client for fhirServer, or null when the request named none
   * @param patientId the patient
   * @param now the evaluation time
   */
  public PatientData load(
      Map<String, JsonNode> prefetch, IGenericClient server, String patientId, Instant now) {
    IParser parser = clients.context().newJsonParser();
    Map<String, List<Resource>> byKey = new LinkedHashMap<>();
    List<Reading> fastReadings = new ArrayList<>();
    List<EcgStrip> fastStrips = new ArrayList<>();
    java.util.Set<String> fastIds = new java.util.HashSet<>();
    Map<String, CompletableFuture<List<Resource>>> fetches = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String key : PatientQueries.TEMPLATES.keySet()) {
      JsonNode node = prefetch == null ? null : prefetch.get(key);
      if (node != null && observationBundle(key, node, server)) {
        // Fast path: read the Observations straight from the JSON tree (JsonObservations).
        for (JsonNode e : node.path("entry")) {
          JsonNode r = e.path("resource");
          String id = r.path("id").asText(null);
          if (id != null && !fastIds.add(id)) {
            continue;
          }
          JsonObservations.readings(r, fastReadings);
          JsonObservations.ecgStrip(r).ifPresent(fastStrips::add);
        }
        byKey.put(key, List.of());
        continue;
      }
      IBaseResource given = null;
      if (node != null && !node.isNull() && node.isObject()) {
        given = parser.parseResource(node.toString());
      }
      if (node != null && node.isNull()) {
        byKey.put(key, List.of()); // null: the read found nothing
      } else if (given != null && !(given instanceof OperationOutcome)) {
        Resource r = (Resource) given;
        if (r instanceof Bundle b && b.getLink(Bundle.LINK_NEXT) != null && server != null) {
          fetches.put(key, CompletableFuture.supplyAsync(() -> pages(server, b), pool));
        } else {
          byKey.put(key, r instanceof Bundle b ? entries(b) : List.of(r));
        }
      } else if (server != null) {
        String q = PatientQueries.query(key, patientId);
        fetches.put(key, CompletableFuture.supplyAsync(() -> fetch(server, q), pool));
      } else {
        missing.add(key);
      }
    }
    List<String> failed = new ArrayList<>();
    String failure = null;
    for (Map.Entry<String, CompletableFuture<List<Resource>>> f : fetches.entrySet()) {
      try {
        byKey.put(f.getKey(), f.getValue().join());
      } catch (RuntimeException e) {
        failed.add(f.getKey());
        Throwable cause = e.getCause() == null ? e : e.getCause();
        failure = cause.getClass().getSimpleName() + ": " + cause.getMessage();
      }
    }
    List<String> requiredMissing = new ArrayList<>();
    for (String k : PatientQueries.REQUIRED) {
      if (missing.contains(k) || failed.contains(k)) {
        requiredMissing.add(k);
      }
    }
    if (!requiredMissing.isEmpty()) {
      requiredMissing.sort(String::compareTo);
      String why =
          server == null
              ? "prefetch lacks " + requiredMissing + " and the request names no fhirServer"
              : "prefetch lacks "
                  + requiredMissing
                  + " and fhirServer could not be read ("
                  + failure
                  + ")";
      throw new MissingDataException(requiredMissing, why);
    }
    PatientData data = toPatientData(patientId, now, byKey);
    if (fastReadings.isEmpty() && fastStrips.isEmpty()) {
      return data;
    }
    List<Reading> readings = new ArrayList<>(data.readings());
    readings.addAll(fastReadings);
    List<EcgStrip> strips = new ArrayList<>(data.ecgStrips());
    strips.addAll(fastStrips);
    return new PatientData(patientId, now, readings, strips, data.context());
  }

  /** A prefetched searchset of Observations that needs no paging: mapped from JSON directly. */
  static boolean observationBundle(String key, JsonNode node, IGenericClient server) {
    if (!node.isObject() || !"Bundle".equals(node.path("resourceType").asText())) {
      return false;
    }
    if (!PatientQueries.TEMPLATES.get(key).startsWith("Observation?")) {
      return false;
    }
    if (server != null) {
      for (JsonNode link : node.path("link")) {
        if ("next".equals(link.path("relation").asText())) {
          return false; // the HAPI path pages through it
        }
      }
    }
    return true;
  }

  /** Maps the resources of each key onto the rules' data. */
  public static PatientData toPatientData(
      String patientId, Instant now, Map<String, List<Resource>> byKey) {
    List<Reading> readings = new ArrayList<>();
    List<EcgStrip> strips = new ArrayList<>();
    List<Condition> conditions = byKey.containsKey("conditions") ? new ArrayList<>() : null;
    List<MedicationStatement> statements =
        byKey.containsKey("medicationStatements") ? new ArrayList<>() : null;
    List<MedicationRequest> requests =
        byKey.containsKey("medicationRequests") ? new ArrayList<>() : null;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (List<Resource> list : byKey.values()) {
      for (Resource r : list) {
        if (r instanceof Observation o) {
          String id = o.getIdElement().getIdPart();
          if (id != null && !seen.add(id)) {
            continue;
          }
          readings.addAll(ObservationMapper.readings(o));
          ObservationMapper.ecgStrip(o).ifPresent(strips::add);
        } else if (r instanceof Condition c && conditions != null) {
          conditions.add(c);
        } else if (r instanceof MedicationStatement m && statements != null) {
          statements.add(m);
        } else if (r instanceof MedicationRequest m && requests != null) {
          requests.add(m);
        }
      }
    }
    ClinicalContext context = ClinicalContextMapper.map(conditions, statements, requests);
    return new PatientData(patientId, now, readings, strips, context);
  }

  private static List<Resource> entries(Bundle b) {
    List<Resource> out = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : b.getEntry()) {
      if (e.hasResource()) {
        out.add(e.getResource());
      }
    }
    return out;
  }

  private static List<Resource> fetch(IGenericClient server, String query) {
    if (!query.contains("?")) {
      try {
        return List.of(
            (Resource)
                server
                    .read()
                    .resource(query.substring(0, query.indexOf('/')))
                    .withId(query.substring(query.indexOf('/') + 1))
                    .execute());
      } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
          | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
        return List.of();
      }
    }
    Bundle first = server.search().byUrl(query).returnBundle(Bundle.class).execute();
    return pages(server, first);
  }

  private static List<Resource> pages(IGenericClient server, Bundle first) {
    List<Resource> out = new ArrayList<>(entries(first));
    Bundle page = first;
    for (int i = 1; i < MAX_PAGES && page.getLink(Bundle.LINK_NEXT) != null; i++) {
      page = server.loadPage().next(page).execute();
      out.addAll(entries(page));
    }
    return out;
  }
}
