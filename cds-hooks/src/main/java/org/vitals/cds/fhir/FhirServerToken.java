package org.vitals.cds.fhir;

import java.time.Clock;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.vitals.cds.config.CdsProperties;
import org.vitals.support.smart.BackendServicesToken;

/**
 * The bearer token the module sends to its own FHIR server (monitor, recommendations): a static
 * token ({@code VITALS_FHIR_TOKEN}), or one obtained with SMART Backend Services (client
 * credentials with a {@code private_key_jwt} assertion signed RS384 or ES384 with the key in {@code
 * VITALS_FHIR_CLIENT_KEY}, client id {@code VITALS_FHIR_CLIENT_ID}), renewed 30 s before it
 * expires; or none (a server with {@code VITALS_SECURITY=off}). The backend-services client is the
 * shared one ({@link BackendServicesToken}, decision 0935), made at the first request.
 */
@Component
public class FhirServerToken implements Supplier<String> {

  /**
   * What the monitor and recommendations read and write. Search ({@code s}) on what they write too:
   * the monitor looks up its own Subscriptions, open alerts and last RiskAssessment. Observation
   * create/update and Device create are the ECG annotator's (decision 0712: annotations, AF
   * episodes extended as they go on, the analyser's Device).
   */
  public static final String SCOPES =
      "system/Patient.rs system/Observation.crus system/Condition.rs system/MedicationStatement.rs"
          + " system/MedicationRequest.rs system/RiskAssessment.crus system/DetectedIssue.crus"
          + " system/Communication.crus system/Subscription.crus system/Device.crs";

  private final CdsProperties props;
  private BackendServicesToken client;

  public FhirServerToken(CdsProperties props) {
    this.props = props;
  }

  @Override
  public synchronized String get() {
    if (notBlank(props.fhirToken())) {
      return props.fhirToken();
    }
    if (!notBlank(props.fhirClientId()) || !notBlank(props.fhirClientKey())) {
      return null;
    }
    try {
      if (client == null) {
        client = client(props);
      }
      return client.token();
    } catch (BackendServicesToken.TokenException | IllegalArgumentException e) {
      Throwable cause = e instanceof BackendServicesToken.TokenException ? e.getCause() : e;
      String why = BackendServicesToken.reason(cause);
      throw new IllegalStateException(
          "SMART backend-services token request for client "
              + props.fhirClientId()
              + " failed: "
              + why,
          e);
    }
  }

  /** The client with this module's scopes; renewed 30 s before the end, 10 s after at the least. */
  static BackendServicesToken client(CdsProperties props) {
    return new BackendServicesToken(
        props.fhirUrl(),
        props.fhirClientId(),
        props.fhirClientKey(),
        SCOPES,
        "",
        "the scopes the CDS services ask for (FhirServerToken.SCOPES)",
        lifetime -> Math.max(10, lifetime - 30),
        Clock.systemUTC());
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
