package org.vitals.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;
import org.vitals.gateway.GatewayApplication;

/**
 * Outside the demo profile the gateway does not start on the embedded broker, without MQTT
 * credentials, or with the FHIR server's demo client key; the demo profile is the default.
 */
class DemoSecretsGuardTest {

  @TempDir Path dir;

  @Test
  void theGatewayRefusesToStartInProductionOnItsEmbeddedDefaults() {
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(GatewayApplication.class)
                    .web(WebApplicationType.NONE)
                    .run("--vitals.profile=production", "--vitals.gateway.data-dir=" + dir)
                    .close())
        .isInstanceOfSatisfying(
            DemoSecretsGuard.DefaultSecretRefusedException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(4)
                    .anySatisfy(
                        p -> assertThat(p).startsWith("VITALS_GATEWAY_API_TOKEN is not set"))
                    .anySatisfy(p -> assertThat(p).startsWith("VITALS_MQTT_URL is not set"))
                    .anySatisfy(p -> assertThat(p).startsWith("VITALS_MQTT_USERNAME and"))
                    .anySatisfy(p -> assertThat(p).startsWith("VITALS_FHIR_CLIENT_ID and")));
    // Refused before any bean: neither the broker nor the dead-letter store was made.
    assertThat(dir.resolve("device-gateway")).doesNotExist();
  }

  @Test
  void aDefaultMqttPasswordAndTheDemoRealmsClientKeyAreRefused() {
    assertThat(
            new DemoSecretsGuard()
                .problems(
                    production()
                        .withProperty("vitals.gateway.mqtt-url", "ssl://mqtt:8883")
                        .withProperty("vitals.gateway.mqtt-connection.username", "vitals-gateway")
                        .withProperty("vitals.gateway.mqtt-connection.password", "changeme")
                        .withProperty(
                            "vitals.gateway.fhir-client-key",
                            "/var/lib/vitals-fhir/security/clients/vitals-gateway.private.jwk.json")))
        .containsExactly(
            "VITALS_MQTT_PASSWORD is a default password: provision one with mosquitto_passwd"
                + " (deploy/mosquitto/add-device)",
            "VITALS_FHIR_CLIENT_KEY"
                + " /var/lib/vitals-fhir/security/clients/vitals-gateway.private.jwk.json is the"
                + " key the FHIR server's demo realm made: give the gateway's own key");
  }

  @Test
  void productionWithItsOwnBrokerCredentialsAndKeyMayStart() {
    assertThat(
            new DemoSecretsGuard()
                .problems(
                    production()
                        .withProperty("vitals.gateway.mqtt-url", "ssl://mqtt:8883")
                        .withProperty("vitals.gateway.mqtt-connection.username", "vitals-gateway")
                        .withProperty("vitals.gateway.mqtt-connection.password", "q8Jx-generated")
                        .withProperty(
                            "vitals.gateway.fhir-client-key", "/etc/vitals/client/key.json")))
        .isEmpty();
    // A client certificate instead of a password.
    assertThat(
            new DemoSecretsGuard()
                .problems(
                    production()
                        .withProperty("vitals.gateway.mqtt-url", "ssl://mqtt:8883")
                        .withProperty("vitals.gateway.mqtt-connection.keystore", "/etc/mqtt/gw.p12")
                        .withProperty("vitals.gateway.fhir-token", "a-token")))
        .isEmpty();
  }

  @Test
  void theDemoProfileIsTheDefault() {
    assertThat(new DemoSecretsGuard().problems(new MockEnvironment())).isEmpty();
    assertThat(
            new DemoSecretsGuard()
                .problems(new MockEnvironment().withProperty("vitals.profile", "x")))
        .containsExactly("VITALS_PROFILE is 'x': it must be demo or production");
  }

  @Test
  void demoRealmKeysAreRecognisedByWhereTheDemoRealmWritesThem() {
    assertThat(
            DemoSecretsGuard.isDemoRealmKey(
                "data/security/clients/vitals-gateway.private.jwk.json"))
        .isTrue();
    assertThat(DemoSecretsGuard.isDemoRealmKey("/etc/vitals/client/private.jwk.json")).isFalse();
    assertThat(DemoSecretsGuard.isDemoRealmKey("{\"kty\":\"EC\"}")).isFalse();
  }

  @Test
  void productionRefusesAShortApiToken() {
    assertThat(
            new DemoSecretsGuard()
                .problems(
                    production()
                        .withProperty("vitals.gateway.mqtt-url", "ssl://mqtt:8883")
                        .withProperty("vitals.gateway.mqtt-connection.keystore", "/etc/mqtt/gw.p12")
                        .withProperty("vitals.gateway.fhir-token", "a-token")
                        .withProperty("vitals.gateway.api-token", "short")))
        .containsExactly(
            "VITALS_GATEWAY_API_TOKEN is shorter than 32 characters: use a random one");
  }

  private static MockEnvironment production() {
    return new MockEnvironment()
        .withProperty("vitals.profile", "production")
        .withProperty("vitals.gateway.api-token", "Zr8v2N7qWm4Xk1Lp9Hs3Tb6Yc0Df5Gj8");
  }
}
