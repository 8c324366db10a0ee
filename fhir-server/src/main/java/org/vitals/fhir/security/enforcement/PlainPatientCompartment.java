package org.vitals.fhir.security.enforcement;

import ca.uhn.fhir.interceptor.auth.CompartmentSearchParameterModifications;
import java.util.Set;

/**
 * The patient compartment exactly as FHIR defines it, with no search parameters added or left out,
 * safe to share between threads. HAPI's own {@link CompartmentSearchParameterModifications} (what
 * {@code inCompartment(...)} creates) answers each lookup with {@code computeIfAbsent} on a plain
 * HashMap, so its getters write; our rules are built once per token and shared by that token's
 * concurrent requests, and an app loading several resource types at once got a
 * ConcurrentModificationException (HTTP 500) from the authorization check.
 */
final class PlainPatientCompartment extends CompartmentSearchParameterModifications {

  static final PlainPatientCompartment INSTANCE = new PlainPatientCompartment();

  private PlainPatientCompartment() {}

  @Override
  public Set<String> getAdditionalSearchParamNamesForResourceType(String resourceType) {
    return Set.of();
  }

  @Override
  public Set<String> getOmittedSPNamesForResourceType(String resourceType) {
    return Set.of();
  }

  @Override
  public void addSPToIncludeInCompartment(String resourceType, String searchParameter) {
    throw new UnsupportedOperationException("the plain patient compartment is not modified");
  }

  @Override
  public void addSPToOmitFromCompartment(String resourceType, String searchParameter) {
    throw new UnsupportedOperationException("the plain patient compartment is not modified");
  }
}
