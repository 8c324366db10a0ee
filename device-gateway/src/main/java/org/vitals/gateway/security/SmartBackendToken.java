package org.vitals.gateway.security;

import java.time.Clock;
import org.vitals.support.smart.BackendServicesToken;

/**
 * The gateway's access token for its FHIR server by SMART Backend Services: the shared client
 * ({@link BackendServicesToken}, decision 0935) with the gateway's settings. The token is renewed
 * at 80 % of its lifetime, or 30 s before the end when that is earlier, and after the server
 * answered 401 (docs/decisions/0205).
 */
public class SmartBackendToken extends BackendServicesToken implements AccessTokens {

  /**
   * @param keySetting a private JWK as JSON, or the path of a file that holds one
   * @throws IllegalArgumentException when the key cannot be read or is not a private RSA or EC
   *     P-384 key (a configuration error, reported at start-up)
   */
  public SmartBackendToken(
      String fhirUrl, String clientId, String keySetting, String scopes, Clock clock) {
    this(fhirUrl, clientId, keySetting, scopes, "", clock);
  }

  /**
   * @param optionalScopes asked for too, but left out (once, with a warning) when the server
   *     answers {@code invalid_scope}: the client's registration does not cover them
   */
  public SmartBackendToken(
      String fhirUrl,
      String clientId,
      String keySetting,
      String scopes,
      String optionalScopes,
      Clock clock) {
    super(
        fhirUrl,
        clientId,
        keySetting,
        scopes,
        optionalScopes,
        "VITALS_FHIR_SCOPES",
        BackendServicesToken::renewAfterSeconds,
        clock);
  }
}
