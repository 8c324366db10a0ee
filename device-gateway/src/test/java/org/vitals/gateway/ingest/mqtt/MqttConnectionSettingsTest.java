package org.vitals.gateway.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;

/** The checks of the gateway's MQTT credentials and TLS settings, and what they put on CONNECT. */
class MqttConnectionSettingsTest {

  @Test
  void credentialsGoOnTheConnectAndNeverIntoTheLog() {
    MqttConnectionSettings s =
        new MqttConnectionSettings("vitals-gateway", "s3cret-pw", null, null, null, null);
    s.check("ssl://mqtt.example.org:8883");
    MqttConnectionOptions o = new MqttConnectionOptions();
    s.applyTo(o, "ssl://mqtt.example.org:8883");
    assertThat(o.getUserName()).isEqualTo("vitals-gateway");
    assertThat(new String(o.getPassword())).isEqualTo("s3cret-pw");
    assertThat(o.isHttpsHostnameVerificationEnabled()).isTrue();
    assertThat(s.toString()).doesNotContain("s3cret-pw").contains("password=***");
  }

  @Test
  void halfGivenCredentialsAndTrustStoresWithoutTlsAreErrorsThatNameTheSetting() {
    assertThatThrownBy(
            () -> new MqttConnectionSettings("gw", null, null, null, null, null).check("ssl://b"))
        .hasMessageContaining("VITALS_MQTT_PASSWORD");
    assertThatThrownBy(
            () -> new MqttConnectionSettings(null, "pw", null, null, null, null).check("ssl://b"))
        .hasMessageContaining("VITALS_MQTT_USERNAME");
    assertThatThrownBy(
            () ->
                new MqttConnectionSettings(null, null, "/etc/ca.pem", null, null, null)
                    .check("tcp://broker:1883"))
        .hasMessageContaining("ssl://");
    assertThatThrownBy(
            () ->
                new MqttConnectionSettings(null, null, "/nonexistent/ca.pem", null, null, null)
                    .check("ssl://broker:8883"))
        .hasMessageContaining(
            "VITALS_MQTT_TRUSTSTORE '/nonexistent/ca.pem' is not a readable file");
  }

  @Test
  void aPemFileWithoutCertificatesIsRefused() throws Exception {
    Path empty = Files.createTempFile("empty", ".pem");
    assertThatThrownBy(
            () ->
                new MqttConnectionSettings(null, null, empty.toString(), null, null, null)
                    .socketFactory())
        .hasMessageContaining("VITALS_MQTT_TRUSTSTORE");
  }
}
