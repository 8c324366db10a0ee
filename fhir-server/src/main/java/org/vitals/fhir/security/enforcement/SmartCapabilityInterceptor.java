package org.vitals.fhir.security.enforcement;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;
import org.vitals.fhir.security.ServerUrls;

/**
 * Declares SMART on FHIR in the CapabilityStatement: {@code rest.security.service} SMART-on-FHIR
 * and the {@code oauth-uris} extension with our endpoints (SMART App Launch 2.2; discovery by
 * {@code .well-known/smart-configuration} is the primary way, this one is for older clients).
 */
@Interceptor
public class SmartCapabilityInterceptor {

  static final String OAUTH_URIS =
      "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

  private final ServerUrls urls;

  public SmartCapabilityInterceptor(ServerUrls urls) {
    this.urls = urls;
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void addSecurity(IBaseConformance conformance, RequestDetails request) {
    if (!(conformance instanceof CapabilityStatement capability)
        || !(request instanceof ServletRequestDetails servlet)) {
      return;
    }
    String issuer = urls.issuer(servlet.getServletRequest());
    CapabilityStatement.CapabilityStatementRestSecurityComponent security =
        capability.getRestFirstRep().getSecurity();
    security.setCors(true);
    security.getService().clear();
    security.addService(
        new CodeableConcept()
            .addCoding(
                new org.hl7.fhir.r4.model.Coding(
                    "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "SMART-on-FHIR",
                    "SMART-on-FHIR"))
            .setText("OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)"));
    security.getExtension().removeIf(e -> OAUTH_URIS.equals(e.getUrl()));
    Extension uris = security.addExtension().setUrl(OAUTH_URIS);
    uris.addExtension("authorize", new UriType(issuer + "/oauth2/authorize"));
    uris.addExtension("token", new UriType(issuer + "/oauth2/token"));
    uris.addExtension("introspect", new UriType(issuer + "/oauth2/introspect"));
    uris.addExtension("revoke", new UriType(issuer + "/oauth2/revoke"));
  }
}
