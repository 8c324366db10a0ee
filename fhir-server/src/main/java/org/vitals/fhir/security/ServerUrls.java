package org.vitals.fhir.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The issuer and FHIR base a request addresses: {@code VITALS_PUBLIC_URL} when set, otherwise the
 * scheme, host and port the client used (the same rule Spring Authorization Server applies to its
 * issuer, so tokens minted at one name are only good at that name).
 */
public final class ServerUrls {

  public static final String FHIR_PATH = "/fhir";

  private final String publicUrl;

  public ServerUrls(String publicUrl) {
    this.publicUrl =
        publicUrl == null || publicUrl.isBlank() ? null : publicUrl.replaceAll("/+$", "");
  }

  public String configuredIssuer() {
    return publicUrl;
  }

  public String issuer(HttpServletRequest request) {
    if (publicUrl != null) {
      return publicUrl;
    }
    return UriComponentsBuilder.fromUriString(UrlUtils.buildFullRequestUrl(request))
        .replacePath(request.getContextPath())
        .replaceQuery(null)
        .fragment(null)
        .build()
        .toUriString();
  }

  public String fhirBase(HttpServletRequest request) {
    return fhirBase(issuer(request));
  }

  public static String fhirBase(String issuer) {
    return issuer + FHIR_PATH;
  }
}
