package org.vitals.gateway;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * All gateway settings (application.yaml binds them to environment variables; see README).
 *
 * @param fhirUrl FHIR base URL ({@code VITALS_FHIR_URL})
 * @param mqttUrl external broker URL ({@code VITALS_MQTT_URL}); blank: the embedded broker
 * @param mqttEmbeddedPort embedded broker port ({@code VITALS_MQTT_EMBEDDED_PORT}); 0 or a taken
 *     port: a free port is chosen
 * @param mqttClientId the persistent-session client id of the gateway
 * @param mqttTopic the topic filter of native readings ({@code VITALS_MQTT_TOPIC}, default {@code
 *     vitals/v1/+/+/+}; e.g. {@code vitals/v1/ward3/+/+} for one edge gateway's devices)
 * @param dataDir where the dead-letter store and template directory live ({@code VITALS_DATA_DIR})
 * @param batchSize maximum readings per FHIR transaction
 * @param batchWait maximum time a reading waits for its batch
 * @param ecgStripSeconds length of an ECG SampledData strip
 * @param retryMaxBackoff ceiling of the backoff between FHIR retries
 * @param receiveMaximum MQTT 5 Receive Maximum: unacknowledged messages the broker may send
 * @param writers concurrent FHIR transactions
 * @param fhirToken a fixed bearer token ({@code VITALS_FHIR_TOKEN}); blank: none
 * @param fhirClientId SMART backend-services client id ({@code VITALS_FHIR_CLIENT_ID})
 * @param fhirClientKey its private JWK, as JSON or a file path ({@code VITALS_FHIR_CLIENT_KEY})
 * @param fhirScopes the scopes the gateway asks for ({@code VITALS_FHIR_SCOPES})
 */
@ConfigurationProperties(prefix = "vitals.gateway")
public record GatewayProperties(
    String fhirUrl,
    String mqttUrl,
    int mqttEmbeddedPort,
    String mqttClientId,
    String mqttTopic,
    Path dataDir,
    int batchSize,
    Duration batchWait,
    int ecgStripSeconds,
    Duration retryMaxBackoff,
    int receiveMaximum,
    int writers,
    String fhirToken,
    String fhirClientId,
    String fhirClientKey,
    String fhirScopes) {

  /** The demo client of the FHIR server's embedded realm, used when its key is in the data dir. */
  public static final String DEMO_CLIENT_ID = "vitals-gateway";

  /** Where the FHIR server's demo realm puts the demo gateway client's private key. */
  public Path demoClientKey() {
    return dataDir.resolve("security/clients/" + DEMO_CLIENT_ID + ".private.jwk.json");
  }

  public Path templateDir() {
    return dataDir.resolve("templates");
  }

  public boolean embeddedBroker() {
    return mqttUrl == null || mqttUrl.isBlank();
  }
}
