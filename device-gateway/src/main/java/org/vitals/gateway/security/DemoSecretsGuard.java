package org.vitals.gateway.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.env.PropertyResolver;
import org.vitals.support.profile.ProductionProfileGuard;

/**
 * Refuses to start the gateway on a demo setup unless the embedded demo profile is active ({@code
 * VITALS_PROFILE=demo}, the default; {@code production} refuses): the embedded broker (anonymous,
 * no TLS), an MQTT connection without credentials or with a default password, the FHIR server's
 * demo client key, and an open HTTP API (no {@code VITALS_GATEWAY_API_TOKEN}). Runs before any
 * bean. docs/security.md, "Default secrets". The profile check, refusal and failure report are
 * {@link ProductionProfileGuard}'s (decision 0935); the checks here are the gateway's.
 */
public class DemoSecretsGuard extends ProductionProfileGuard {

  static final Set<String> WEAK_PASSWORDS =
      Set.of("demo", "password", "changeme", "secret", "vitals", "mosquitto", "admin", "test");

  public DemoSecretsGuard() {
    super(false, "default and demo secrets", "a demo setup is configured");
  }

  @Override
  protected List<String> productionProblems(PropertyResolver env) {
    List<String> problems = new ArrayList<>();
    if (setting(env, "vitals.gateway.mqtt-url").isEmpty()) {
      problems.add(
          "VITALS_MQTT_URL is not set, so the embedded demo broker would run (anonymous clients,"
              + " no TLS): give your broker, e.g. ssl://mqtt.example.org:8883");
    }
    String user = setting(env, "vitals.gateway.mqtt-connection.username");
    String password = setting(env, "vitals.gateway.mqtt-connection.password");
    if (user.isEmpty() && setting(env, "vitals.gateway.mqtt-connection.keystore").isEmpty()) {
      problems.add(
          "VITALS_MQTT_USERNAME and VITALS_MQTT_PASSWORD are not set (nor a client certificate in"
              + " VITALS_MQTT_KEYSTORE): the broker must authenticate the gateway");
    } else if (!user.isEmpty() && WEAK_PASSWORDS.contains(password.toLowerCase(Locale.ROOT))) {
      problems.add(
          "VITALS_MQTT_PASSWORD is a default password: provision one with mosquitto_passwd"
              + " (deploy/mosquitto/add-device)");
    }
    String key = setting(env, "vitals.gateway.fhir-client-key");
    if (key.isEmpty() && setting(env, "vitals.gateway.fhir-token").isEmpty()) {
      problems.add(
          "VITALS_FHIR_CLIENT_ID and VITALS_FHIR_CLIENT_KEY are not set, so the gateway would sign"
              + " in with the FHIR server's demo client key from VITALS_DATA_DIR: register the"
              + " gateway's own key (java deploy/tools/MakeJwk.java client vitals-gateway <dir>)");
    } else if (isDemoRealmKey(key)) {
      problems.add(
          "VITALS_FHIR_CLIENT_KEY "
              + key
              + " is the key the FHIR server's demo realm made: give the gateway's own key");
    }
    String apiToken = setting(env, "vitals.gateway.api-token");
    if (apiToken.isEmpty()) {
      problems.add(
          "VITALS_GATEWAY_API_TOKEN is not set, so the gateway's HTTP API (dead letters with the"
              + " readings, device assignments) would be open: set a random token of at least 32"
              + " characters (e.g. openssl rand -base64 32)");
    } else if (apiToken.length() < 32
        || WEAK_PASSWORDS.contains(apiToken.toLowerCase(Locale.ROOT))) {
      problems.add("VITALS_GATEWAY_API_TOKEN is shorter than 32 characters: use a random one");
    }
    return problems;
  }
}
