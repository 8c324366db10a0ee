package org.vitals.cds.fhir;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * Reads a CDS Hooks request body in one streaming pass, keeping of each prefetched Observation
 * Bundle only the elements the rules read ({@link JsonObservations}): status, times, device, the
 * codings' system and code, values and sampled data. Everything else (subject, category, meta,
 * identifiers, displays, full URLs, the Bundle's other elements) is skipped by the tokenizer
 * without building nodes or strings. On the benchmark's 944-kB prefetch the full JSON tree cost
 * about a third of a call's CPU and 6 MB of allocation (decision 0710).
 *
 * <p>The rest of the request (context, fhirServer, fhirAuthorization, non-Observation keys) is read
 * as a full tree, as before. When a reduced key is not a Bundle, or a Bundle that links a next page
 * (the HAPI path pages through it and parses whole resources), the whole body is read as a full
 * tree instead: the answer is then exactly the previous code path's.
 */
public final class CdsRequestReader {

  /** Null: keep the whole value; otherwise the fields to keep, each with its own spec. */
  private record Spec(Map<String, Spec> fields) {}

  private static final Spec WHOLE = new Spec(null);
  private static final Spec CODE =
      new Spec(Map.of("coding", new Spec(Map.of("system", WHOLE, "code", WHOLE))));
  private static final Spec QUANTITY =
      new Spec(Map.of("value", WHOLE, "code", WHOLE, "unit", WHOLE));
  private static final Spec SAMPLED =
      new Spec(
          Map.of(
              "origin", QUANTITY,
              "period", WHOLE,
              "factor", WHOLE,
              "dimensions", WHOLE,
              "data", WHOLE));
  private static final Spec OBSERVATION =
      new Spec(
          Map.ofEntries(
              Map.entry("resourceType", WHOLE),
              Map.entry("id", WHOLE),
              // Only to tell the gateway's minute summaries from readings (Codes.AGGREGATION).
              Map.entry(
                  "meta",
                  new Spec(Map.of("tag", new Spec(Map.of("system", WHOLE, "code", WHOLE))))),
              Map.entry("status", WHOLE),
              Map.entry("effectiveDateTime", WHOLE),
              Map.entry("effectiveInstant", WHOLE),
              Map.entry("effectivePeriod", new Spec(Map.of("start", WHOLE, "end", WHOLE))),
              Map.entry("device", new Spec(Map.of("reference", WHOLE))),
              Map.entry("code", CODE),
              Map.entry("valueQuantity", QUANTITY),
              Map.entry("valueCodeableConcept", WHOLE),
              Map.entry("valueSampledData", SAMPLED),
              Map.entry(
                  "component",
                  new Spec(
                      Map.of(
                          "code", CODE,
                          "valueQuantity", QUANTITY,
                          "valueCodeableConcept", WHOLE,
                          "valueSampledData", SAMPLED)))));
  private static final Spec BUNDLE =
      new Spec(
          Map.of(
              "resourceType", WHOLE,
              "link", WHOLE,
              "entry", new Spec(Map.of("resource", OBSERVATION))));

  private CdsRequestReader() {}

  /**
   * The request as a JSON tree, prefetched Observation Bundles reduced to what the rules read.
   *
   * @throws IOException when the body is not JSON
   */
  public static JsonNode read(ObjectMapper json, byte[] body) throws IOException {
    boolean full = false;
    ObjectNode root = json.createObjectNode();
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return json.readTree(body); // not an object: validation says so
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (!field.equals("prefetch") || t != JsonToken.START_OBJECT) {
          root.set(field, whole(json, p));
          continue;
        }
        ObjectNode prefetch = root.putObject("prefetch");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonToken v = p.nextToken();
          String template = PatientQueries.TEMPLATES.get(key);
          if (v != JsonToken.START_OBJECT
              || template == null
              || !template.startsWith("Observation?")) {
            prefetch.set(key, whole(json, p));
            continue;
          }
          JsonNode bundle = value(json, p, BUNDLE);
          prefetch.set(key, bundle);
          full |= !"Bundle".equals(bundle.path("resourceType").asText()) || hasNext(bundle);
        }
      }
    }
    return full ? json.readTree(body) : root;
  }

  private static boolean hasNext(JsonNode bundle) {
    for (JsonNode link : bundle.path("link")) {
      if ("next".equals(link.path("relation").asText())) {
        return true;
      }
    }
    return false;
  }

  /** The value at the parser's current token, reduced by {@code spec}. */
  private static JsonNode value(ObjectMapper json, JsonParser p, Spec spec) throws IOException {
    JsonToken t = p.currentToken();
    if (spec.fields() == null) {
      return whole(json, p);
    }
    if (t == JsonToken.START_ARRAY) {
      ArrayNode a = json.createArrayNode();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        a.add(value(json, p, spec));
      }
      return a;
    }
    if (t != JsonToken.START_OBJECT) {
      return whole(json, p); // a scalar where an object was expected: kept, the mapping decides
    }
    ObjectNode o = json.createObjectNode();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      Spec child = spec.fields().get(name);
      if (child == null) {
        p.skipChildren(); // no nodes, and the skipped strings are never decoded
      } else {
        o.set(name, value(json, p, child));
      }
    }
    return o;
  }

  private static JsonNode whole(ObjectMapper json, JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return NullNode.getInstance();
    }
    JsonNode n = json.readTree(p);
    return n == null ? NullNode.getInstance() : n;
  }
}
