package org.vitals.fhir.security.oidc;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;

/** {@link FhirUserMapping.Directory} on the server's own DAOs (no HTTP, no token). */
final class FhirDirectory implements FhirUserMapping.Directory {

  private final DaoRegistry daos;

  FhirDirectory(DaoRegistry daos) {
    this.daos = daos;
  }

  @Override
  public boolean exists(String reference) {
    IdType id = new IdType(reference);
    try {
      daos.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails());
      return true;
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return false;
    }
  }

  @Override
  public List<String> withIdentifier(String system, String value) {
    List<String> found = new ArrayList<>();
    for (String type : List.of("Practitioner", "Patient")) {
      SearchParameterMap query =
          SearchParameterMap.newSynchronous("identifier", new TokenParam(system, value));
      query.setCount(2);
      IBundleProvider result = daos.getResourceDao(type).search(query, new SystemRequestDetails());
      for (IBaseResource r : result.getResources(0, 2)) {
        found.add(r.getIdElement().toUnqualifiedVersionless().getValue());
      }
    }
    return found;
  }
}
