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
 * @param dataDir where the dead-letter store and template directory live ({@code VITALS_DATA_DIR})
 * @param batchSize maximum readings per FHIR transaction
 * @param batchWait maximum time a reading waits for its batch
 * @param ecgStripSeconds length of an ECG SampledData strip
 * @param retryMaxBackoff ceiling of the backoff between FHIR retries
 * @param receiveMaximum MQTT 5 Receive Maximum: unacknowledged messages the broker may send
 * @param writers concurrent FHIR transactions
 */
@ConfigurationProperties(prefix = "vitals.gateway")
public record GatewayProperties(
    String fhirUrl,
    String mqttUrl,
    int mqttEmbeddedPort,
    String mqttClientId,
    Path dataDir,
    int batchSize,
    Duration batchWait,
    int ecgStripSeconds,
    Duration retryMaxBackoff,
    int receiveMaximum,
    int writers) {

  public Path templateDir() {
    return dataDir.resolve("templates");
  }

  public boolean embeddedBroker() {
    return mqttUrl == null || mqttUrl.isBlank();
  }
}
