package org.vitals.cds.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The allow-list of CDS clients: issuer → the URL of its JWK Set ({@code https:}, {@code http:} or
 * {@code file:}). Parsed from {@code VITALS_CDS_TRUSTED_ISSUERS}: pairs {@code iss=jwksUrl}
 * separated by commas or whitespace; the issuer is everything before the first {@code =} that is
 * followed by a URL scheme, so issuers may themselves be URLs.
 */
public record TrustedIssuers(Map<String, String> jwksByIssuer) {

  /** Parses the setting; a malformed pair is an error that names it. */
  public static TrustedIssuers parse(String setting) {
    Map<String, String> map = new LinkedHashMap<>();
    if (setting != null) {
      for (String pair : setting.trim().split("[,\\s]+")) {
        if (pair.isBlank()) {
          continue;
        }
        int at = indexOfJwks(pair);
        if (at <= 0) {
          throw new IllegalArgumentException(
              "VITALS_CDS_TRUSTED_ISSUERS entry '"
                  + pair
                  + "' is not iss=jwksUrl (e.g. https://sandbox.cds-hooks.org="
                  + "https://sandbox.cds-hooks.org/.well-known/jwks.json)");
        }
        map.put(pair.substring(0, at), pair.substring(at + 1));
      }
    }
    return new TrustedIssuers(Map.copyOf(map));
  }

  private static int indexOfJwks(String pair) {
    for (String scheme : new String[] {"=https://", "=http://", "=file:"}) {
      int i = pair.indexOf(scheme);
      if (i > 0) {
        return i;
      }
    }
    return -1;
  }

  /** The JWKS URL of an issuer, or null when the issuer is not trusted. */
  public String jwksUrl(String issuer) {
    return issuer == null ? null : jwksByIssuer.get(issuer);
  }
}
