package org.vitals.fhir.latest;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code GET /fhir/Patient/{id}/$latest-vitals[?code=system|code,...]}: the newest Observation of
 * each vital sign for one patient, in one round trip. HAPI's {@code $lastn} needs Elasticsearch
 * (docs/decisions/0006-latest-vitals.md); this runs one indexed "newest first, one result" query
 * per vital-sign code through the normal search path, so authorization and narrowing apply.
 */
public class LatestVitalsProvider {

  /** The vital signs looked up when no {@code code} is given, as {@code system|code}. */
  public static final List<String> DEFAULT_CODES =
      List.of(
          "http://loinc.org|8867-4", // heart rate
          "http://loinc.org|2708-6", // oxygen saturation
          "http://loinc.org|9279-1", // respiratory rate
          "http://loinc.org|8310-5", // body temperature
          "http://loinc.org|85354-9", // blood pressure panel
          "http://loinc.org|2339-0", // glucose, blood (mass/volume)
          "http://loinc.org|41653-7", // glucose, capillary by glucometer
          "http://loinc.org|99504-3", // glucose, interstitial (CGM)
          "http://loinc.org|29463-7", // body weight
          "http://loinc.org|8302-2", // body height
          "http://loinc.org|39156-5"); // BMI

  static final int MAX_CODES = 50;

  private final IFhirResourceDao<Observation> observationDao;

  public LatestVitalsProvider(IFhirResourceDao<Observation> observationDao) {
    this.observationDao = observationDao;
  }

  @Description(
      shortDefinition = "The newest Observation of each vital sign of this patient",
      value =
          "One entry per vital-sign code that has at least one Observation for the patient."
              + " Without 'code', the standard vital signs and glucose are looked up.")
  @Operation(name = "$latest-vitals", idempotent = true, type = Patient.class)
  public Bundle latestVitals(
      @IdParam IdType patientId,
      @OperationParam(name = "code", min = 0, max = MAX_CODES) List<StringType> codes,
      RequestDetails request) {
    List<String> wanted = new ArrayList<>();
    if (codes == null || codes.isEmpty()) {
      wanted.addAll(DEFAULT_CODES);
    } else {
      for (StringType code : codes) {
        for (String one : code.getValue().split(",")) {
          if (!one.isBlank()) {
            wanted.add(one.trim());
          }
        }
      }
    }
    if (wanted.size() > MAX_CODES) {
      throw new InvalidRequestException(
          "$latest-vitals takes at most " + MAX_CODES + " codes, got " + wanted.size());
    }
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    String subject = "Patient/" + patientId.getIdPart();
    for (String code : wanted) {
      TokenParam token = parseToken(code);
      SearchParameterMap map =
          SearchParameterMap.newSynchronous()
              .add(Observation.SP_SUBJECT, new ReferenceParam(subject))
              .add(Observation.SP_CODE, token)
              .setSort(new SortSpec(Observation.SP_DATE, SortOrderEnum.DESC))
              .setCount(1);
      IBundleProvider found = observationDao.search(map, request);
      List<IBaseResource> newest = found.getResources(0, 1);
      if (!newest.isEmpty()) {
        Observation observation = (Observation) newest.get(0);
        bundle
            .addEntry()
            .setFullUrl(observation.getIdElement().toUnqualifiedVersionless().getValue())
            .setResource(observation)
            .getSearch()
            .setMode(Bundle.SearchEntryMode.MATCH);
      }
    }
    bundle.setTotal(bundle.getEntry().size());
    return bundle;
  }

  private static TokenParam parseToken(String code) {
    int bar = code.indexOf('|');
    if (bar <= 0 || bar == code.length() - 1) {
      throw new InvalidRequestException(
          "code must be 'system|code' (for example http://loinc.org|8867-4), got '" + code + "'");
    }
    return new TokenParam(code.substring(0, bar), code.substring(bar + 1));
  }
}
