package org.vitals.cds.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every setting of the module, with embedded defaults; environment variables override them
 * (application.yaml maps VITALS_* names onto these).
 *
 * @param fhirUrl FHIR base the monitor and recommendations use
 * @param publicUrl base URL clients call us by (for the JWT audience); empty: taken from the
 *     request
 * @param auth "on" (JWT required) or "off" (local development only)
 * @param trustedIssuers allow-listed CDS clients, {@code iss=jwksUrl} pairs separated by commas
 * @param corsOrigins browser origins allowed on /cds-services (comma separated, * for any)
 * @param doctorAppUrl the SMART doctor app that cards link to
 * @param dataDir where feedback is stored
 * @param fhirToken static bearer token for the FHIR server (monitor, recommendations)
 * @param fhirClientId SMART backend-services client id (used when no static token is set)
 * @param fhirClientKey the client's private key as a JWK (JSON) or a path to a file holding one
 * @param monitor the continuous-alerting settings
 */
@ConfigurationProperties("vitals.cds")
public record CdsProperties(
    String fhirUrl,
    String publicUrl,
    String auth,
    String trustedIssuers,
    String corsOrigins,
    String doctorAppUrl,
    String dataDir,
    String fhirToken,
    String fhirClientId,
    String fhirClientKey,
    Monitor monitor) {

  /** True when CDS clients must present a signed JWT. */
  public boolean authRequired() {
    return !"off".equalsIgnoreCase(auth);
  }

  /**
   * Continuous alerting.
   *
   * @param enabled whether the monitor registers its subscription and evaluates vitals
   * @param callbackUrl where the FHIR server delivers rest-hook notifications
   * @param secret shared secret the FHIR server sends back in the rest-hook header; random if empty
   * @param ackTimeoutLowMedium unacknowledged time before a low-medium alert escalates
   * @param ackTimeoutMedium same for a medium alert
   * @param ackTimeoutHigh same for a high alert
   * @param resolveAfter measurement time the score must stay low before an alert resolves
   * @param riskAssessmentEvery longest gap between RiskAssessments while the score is unchanged
   * @param catchUpMax how far back a catch-up reads at most (after a long outage, or without a
   *     watermark)
   * @param reconcileWindow the length of the windows of lastUpdated time whose deliveries are
   *     counted against the FHIR server's (decision 0708)
   * @param reconcileSettle how long after its end a window is checked (commits arrive late)
   */
  public record Monitor(
      boolean enabled,
      String callbackUrl,
      String secret,
      Duration ackTimeoutLowMedium,
      Duration ackTimeoutMedium,
      Duration ackTimeoutHigh,
      Duration resolveAfter,
      Duration riskAssessmentEvery,
      Duration catchUpMax,
      Duration reconcileWindow,
      Duration reconcileSettle) {

    /** The reconciliation window, 30 s unless set. */
    public Duration reconcileWindowOrDefault() {
      return reconcileWindow == null ? Duration.ofSeconds(30) : reconcileWindow;
    }

    /** The reconciliation settle time, 1 min unless set. */
    public Duration reconcileSettleOrDefault() {
      return reconcileSettle == null ? Duration.ofMinutes(1) : reconcileSettle;
    }
  }
}
