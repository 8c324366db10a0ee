package org.vitals.fhir.ingest;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.searchparam.extractor.ResourceIndexedSearchParams;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryMatchResult;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryResourceMatcher;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * HAPI's in-memory matcher, minus two costs that make conditional-create bundles quadratic.
 *
 * <p>After writing a transaction, HAPI checks every conditional URL of the bundle against every
 * resource written (BaseTransactionProcessor.validateNoDuplicates): n x n matches for a bundle of n
 * conditional creates, each of which parsed the URL again. In the ingest profile that was 43 % of
 * the server's CPU for conditional bundles of 200. This matcher parses each URL once (bounded memo)
 * and answers the one URL shape our writers use, {@code Type?identifier=system|value}, by comparing
 * the resource's identifiers directly; everything else goes to HAPI's matcher unchanged.
 */
public class MatchUrlMemoizingMatcher extends InMemoryResourceMatcher {

  private static final int MEMO_LIMIT = 20_000;

  @Autowired private FhirContext fhirContext;
  @Autowired private MatchUrlService matchUrlService;

  private final Map<String, Map<String, ParsedCriteria>> memo = new ConcurrentHashMap<>();

  @Override
  public InMemoryMatchResult match(
      String criteria,
      IBaseResource resource,
      ResourceIndexedSearchParams indexedParams,
      RequestDetails request) {
    // Without a resource it is a capability question, which HAPI's path answers cheaply.
    if (resource == null) {
      return super.match(criteria, resource, indexedParams, request);
    }
    RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(resource);
    ParsedCriteria parsed = parsed(criteria, definition);
    if (parsed == null) {
      return super.match(criteria, resource, indexedParams, request);
    }
    if (parsed.identifier() != null) {
      return InMemoryMatchResult.fromBoolean(hasIdentifier(resource, definition, parsed));
    }
    if (indexedParams == null) {
      return super.match(criteria, resource, null, request); // extracts only what it needs
    }
    return match(parsed.map(), resource, definition, indexedParams);
  }

  private ParsedCriteria parsed(String criteria, RuntimeResourceDefinition definition) {
    // Keyed by type, then by the URL string itself, whose hash the String caches.
    Map<String, ParsedCriteria> ofType =
        memo.computeIfAbsent(definition.getName(), type -> new ConcurrentHashMap<>());
    ParsedCriteria parsed = ofType.get(criteria);
    if (parsed != null) {
      return parsed;
    }
    SearchParameterMap map;
    try {
      map = matchUrlService.translateMatchUrl(criteria, definition);
    } catch (RuntimeException e) {
      return null; // let HAPI produce its own answer for URLs it cannot parse
    }
    map.clean();
    parsed = new ParsedCriteria(map, identifierOnly(map, definition));
    if (ofType.size() >= MEMO_LIMIT) {
      ofType.clear(); // conditional URLs are per reading: old ones are not asked again
    }
    ofType.put(criteria, parsed);
    return parsed;
  }

  /** The token when the URL is exactly one {@code identifier=system|value} without modifier. */
  private static TokenParam identifierOnly(
      SearchParameterMap map, RuntimeResourceDefinition definition) {
    if (map.size() != 1 || map.getLastUpdated() != null || map.getSort() != null) {
      return null;
    }
    List<List<IQueryParameterType>> andOr = map.get("identifier");
    if (andOr == null || andOr.size() != 1 || andOr.get(0).size() != 1) {
      return null;
    }
    if (!(andOr.get(0).get(0) instanceof TokenParam token)
        || token.getModifier() != null
        || token.getMissing() != null
        || token.getSystem() == null
        || token.getValue() == null) {
      return null;
    }
    // Only where the parameter is the plain element (true for Observation, Patient, Device).
    RuntimeSearchParam param = definition.getSearchParam("identifier");
    if (param == null || !(definition.getName() + ".identifier").equals(param.getPath())) {
      return null;
    }
    return token;
  }

  private static boolean hasIdentifier(
      IBaseResource resource, RuntimeResourceDefinition definition, ParsedCriteria parsed) {
    BaseRuntimeChildDefinition child = definition.getChildByName("identifier");
    for (IBase value : child.getAccessor().getValues(resource)) {
      if (value instanceof Identifier id
          && Objects.equals(id.getSystem(), parsed.identifier().getSystem())
          && Objects.equals(id.getValue(), parsed.identifier().getValue())) {
        return true;
      }
    }
    return false;
  }

  private record ParsedCriteria(SearchParameterMap map, TokenParam identifier) {}
}
