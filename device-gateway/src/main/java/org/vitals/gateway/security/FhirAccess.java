package org.vitals.gateway.security;

import java.nio.file.Files;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitals.gateway.GatewayProperties;

/** Chooses how the gateway authenticates to its FHIR server, from the settings. */
public final class FhirAccess {
  private static final Logger log = LoggerFactory.getLogger(FhirAccess.class);

  /** What the gateway needs: Observations, Device lookup and registration, HL7 PID lookup. */
  public static final String REQUIRED_SCOPES =
      "system/Observation.cruds system/Device.cruds system/Patient.rs";

  /**
   * Assignments by DeviceUseStatement: asked for, but a client registered without them still works,
   * with assignments from Device.patient only.
   */
  public static final String ASSIGNMENT_SCOPE = "system/DeviceUseStatement.cruds";

  /** The default of VITALS_FHIR_SCOPES (application.yaml). */
  public static final String DEFAULT_SCOPES =
      "system/Observation.cruds system/Device.cruds system/DeviceUseStatement.cruds"
          + " system/Patient.rs";

  private FhirAccess() {}

  private static SmartBackendToken smart(
      String fhirUrl, String clientId, String key, String scopes, boolean gateway) {
    String asked = scopes == null ? "" : scopes.trim().replaceAll("\\s+", " ");
    if (gateway && asked.equals(DEFAULT_SCOPES)) {
      return new SmartBackendToken(
          fhirUrl, clientId, key, REQUIRED_SCOPES, ASSIGNMENT_SCOPE, Clock.systemUTC());
    }
    return new SmartBackendToken(fhirUrl, clientId, key, asked, Clock.systemUTC());
  }

  /**
   * {@code VITALS_FHIR_TOKEN} when set; else SMART Backend Services with {@code
   * VITALS_FHIR_CLIENT_ID} and {@code VITALS_FHIR_CLIENT_KEY}; else, when the FHIR server's demo
   * realm left the demo client's key in the shared data folder, that demo client; else no token.
   */
  public static AccessTokens tokens(GatewayProperties props) {
    return tokens(
        props.fhirUrl(),
        props.fhirToken(),
        props.fhirClientId(),
        props.fhirClientKey(),
        props.fhirScopes(),
        props);
  }

  static AccessTokens tokens(
      String fhirUrl,
      String token,
      String clientId,
      String clientKey,
      String scopes,
      GatewayProperties props) {
    if (notBlank(token)) {
      log.info("FHIR access: the fixed token of VITALS_FHIR_TOKEN");
      return AccessTokens.fixed(token.trim());
    }
    if (notBlank(clientId) || notBlank(clientKey)) {
      if (!notBlank(clientId) || !notBlank(clientKey)) {
        throw new IllegalArgumentException(
            "SMART backend services need both VITALS_FHIR_CLIENT_ID and VITALS_FHIR_CLIENT_KEY;"
                + " only "
                + (notBlank(clientId) ? "VITALS_FHIR_CLIENT_ID" : "VITALS_FHIR_CLIENT_KEY")
                + " is set");
      }
      log.info("FHIR access: SMART backend services as client '{}'", clientId);
      return smart(fhirUrl, clientId, clientKey, scopes, props != null);
    }
    if (props != null && Files.isReadable(props.demoClientKey())) {
      log.warn(
          "FHIR access: the demo client '{}' with the key the FHIR server's demo realm made at {}"
              + " (embedded demo only; set VITALS_FHIR_CLIENT_ID and VITALS_FHIR_CLIENT_KEY)",
          GatewayProperties.DEMO_CLIENT_ID,
          props.demoClientKey());
      return smart(
          fhirUrl,
          GatewayProperties.DEMO_CLIENT_ID,
          props.demoClientKey().toString(),
          scopes,
          true);
    }
    log.warn(
        "FHIR access: no token (no VITALS_FHIR_CLIENT_ID/VITALS_FHIR_CLIENT_KEY): only a FHIR"
            + " server with VITALS_SECURITY=off accepts the gateway's writes");
    return AccessTokens.NONE;
  }

  /** For the simulator and benchmark commands: the same settings, read from the environment. */
  public static AccessTokens fromEnvironment(String fhirUrl, String defaultScopes) {
    String scopes = System.getenv("VITALS_FHIR_SCOPES");
    return tokens(
        fhirUrl,
        System.getenv("VITALS_FHIR_TOKEN"),
        System.getenv("VITALS_FHIR_CLIENT_ID"),
        System.getenv("VITALS_FHIR_CLIENT_KEY"),
        notBlank(scopes) ? scopes : defaultScopes,
        null);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
