package org.vitals.fhir.searchparam;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.vitals.fhir.config.VitalsServerProperties;

/**
 * Turns off the Observation search parameters that no client of ours searches on, so each
 * vital-sign write extracts and stores fewer index rows (HAPI performance guide: unused search
 * parameters cost write throughput). It stores a {@code retired} SearchParameter over each built-in
 * one, HAPI's documented way to disable a default parameter; every other resource type keeps all of
 * its parameters. With {@code VITALS_SEARCH_PARAMS=all} the overrides are removed again (then run
 * {@code $reindex} so older Observations get the restored indexes).
 */
@Component
public class ObservationSearchParameters {

  private static final Logger log = LoggerFactory.getLogger(ObservationSearchParameters.class);

  /**
   * The Observation parameters the apps, the CDS services, the gateway and third parties use: per
   * patient, by code and category, by time (and newest first), by reading identity, by device and
   * encounter, by value (thresholds), by component (blood pressure), and panels.
   */
  public static final Set<String> KEPT =
      Set.of(
          "subject",
          "patient",
          "code",
          "category",
          "date",
          "identifier",
          "device",
          "encounter",
          "status",
          "value-quantity",
          "component-code",
          "component-value-quantity",
          "has-member",
          "derived-from",
          "performer",
          "based-on");

  static final String ID_PREFIX = "vitals-off-Observation-";

  private final FhirContext fhirContext;
  private final DaoRegistry daoRegistry;
  private final IFhirSystemDao<Bundle, ?> systemDao;
  private final SearchParamRegistryImpl registry;
  private final VitalsServerProperties properties;

  public ObservationSearchParameters(
      FhirContext fhirContext,
      DaoRegistry daoRegistry,
      IFhirSystemDao<Bundle, ?> systemDao,
      SearchParamRegistryImpl registry,
      VitalsServerProperties properties) {
    this.fhirContext = fhirContext;
    this.daoRegistry = daoRegistry;
    this.systemDao = systemDao;
    this.registry = registry;
    this.properties = properties;
  }

  /** The built-in Observation parameters that are retired in the {@code vitals} set. */
  public List<RuntimeSearchParam> retired() {
    List<RuntimeSearchParam> retired = new ArrayList<>();
    for (RuntimeSearchParam param :
        fhirContext.getResourceDefinition("Observation").getSearchParams()) {
      String name = param.getName();
      if (!name.startsWith("_") && !KEPT.contains(name)) {
        retired.add(param);
      }
    }
    return retired;
  }

  /** Brings the stored overrides in line with the setting, in one transaction. */
  @EventListener(ContextRefreshedEvent.class)
  public void apply() {
    @SuppressWarnings("unchecked")
    IFhirResourceDao<SearchParameter> dao = daoRegistry.getResourceDao(SearchParameter.class);
    SystemRequestDetails request = new SystemRequestDetails();
    boolean all = properties.searchParams() == VitalsServerProperties.SearchParams.ALL;
    Bundle changes = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (RuntimeSearchParam param : retired()) {
      String id = ID_PREFIX + param.getName();
      SearchParameter existing = read(dao, new IdType("SearchParameter", id), request);
      if (all && existing != null) {
        changes.addEntry().getRequest().setMethod(HTTPVerb.DELETE).setUrl("SearchParameter/" + id);
      } else if (!all && (existing == null || existing.getStatus() != PublicationStatus.RETIRED)) {
        changes
            .addEntry()
            .setResource(retiredOverride(id, param))
            .getRequest()
            .setMethod(HTTPVerb.PUT)
            .setUrl("SearchParameter/" + id);
      }
    }
    if (changes.hasEntry()) {
      systemDao.transaction(request, changes);
      registry.forceRefresh();
    }
    log.info(
        "Observation search parameters: {} set ({} changes)",
        properties.searchParams().name().toLowerCase(Locale.ROOT),
        changes.getEntry().size());
  }

  private static SearchParameter retiredOverride(String id, RuntimeSearchParam param) {
    SearchParameter override = new SearchParameter();
    override.setId(id);
    override.setUrl("urn:vitals:SearchParameter:" + id);
    override.setName(param.getName());
    override.setCode(param.getName());
    override.addBase("Observation");
    override.setStatus(PublicationStatus.RETIRED);
    override.setType(SearchParamType.fromCode(param.getParamType().getCode()));
    override.setExpression(param.getPath());
    override.setDescription("Not indexed by the Vitals server (VITALS_SEARCH_PARAMS=vitals)");
    return override;
  }

  private static SearchParameter read(
      IFhirResourceDao<SearchParameter> dao, IdType id, SystemRequestDetails request) {
    try {
      return dao.read(id, request);
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return null;
    }
  }
}
