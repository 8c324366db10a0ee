package org.vitals.gateway.security;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertyResolver;

/**
 * Refuses to start the gateway on a demo setup unless the embedded demo profile is active ({@code
 * VITALS_PROFILE=demo}, the default; {@code production} refuses): the embedded broker (anonymous,
 * no TLS), an MQTT connection without credentials or with a default password, the FHIR server's
 * demo client key, and an open HTTP API (no {@code VITALS_GATEWAY_API_TOKEN}). Runs before any
 * bean. docs/security.md, "Default secrets".
 */
public class DemoSecretsGuard implements EnvironmentPostProcessor {

  static final Set<String> WEAK_PASSWORDS =
      Set.of("demo", "password", "changeme", "secret", "vitals", "mosquitto", "admin", "test");

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    List<String> problems = problems(environment);
    if (!problems.isEmpty()) {
      throw new DefaultSecretRefusedException(problems);
    }
  }

  /** What keeps the gateway from starting with these settings; empty when it may start. */
  static List<String> problems(PropertyResolver env) {
    String profile = env.getProperty("vitals.profile", "demo").trim().toLowerCase(Locale.ROOT);
    if (profile.equals("demo")) {
      return List.of();
    }
    if (!profile.equals("production")) {
      return List.of("VITALS_PROFILE is '" + profile + "': it must be demo or production");
    }
    List<String> problems = new ArrayList<>();
    if (get(env, "vitals.gateway.mqtt-url").isEmpty()) {
      problems.add(
          "VITALS_MQTT_URL is not set, so the embedded demo broker would run (anonymous clients,"
              + " no TLS): give your broker, e.g. ssl://mqtt.example.org:8883");
    }
    String user = get(env, "vitals.gateway.mqtt-connection.username");
    String password = get(env, "vitals.gateway.mqtt-connection.password");
    if (user.isEmpty() && get(env, "vitals.gateway.mqtt-connection.keystore").isEmpty()) {
      problems.add(
          "VITALS_MQTT_USERNAME and VITALS_MQTT_PASSWORD are not set (nor a client certificate in"
              + " VITALS_MQTT_KEYSTORE): the broker must authenticate the gateway");
    } else if (!user.isEmpty() && WEAK_PASSWORDS.contains(password.toLowerCase(Locale.ROOT))) {
      problems.add(
          "VITALS_MQTT_PASSWORD is a default password: provision one with mosquitto_passwd"
              + " (deploy/mosquitto/add-device)");
    }
    String key = get(env, "vitals.gateway.fhir-client-key");
    if (key.isEmpty() && get(env, "vitals.gateway.fhir-token").isEmpty()) {
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
    String apiToken = get(env, "vitals.gateway.api-token");
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

  /** Keys the demo realm writes: {@code <data>/security/clients/<client>.private.jwk.json}. */
  static boolean isDemoRealmKey(String key) {
    if (key.isEmpty() || key.startsWith("{")) {
      return false;
    }
    Path p = Path.of(key).normalize();
    Path parent = p.getParent();
    return p.getFileName().toString().endsWith(".private.jwk.json")
        && parent != null
        && parent.getFileName().toString().equals("clients")
        && parent.getParent() != null
        && parent.getParent().getFileName().toString().equals("security");
  }

  private static String get(PropertyResolver env, String name) {
    String value = env.getProperty(name);
    return value == null ? "" : value.trim();
  }

  /** The gateway would run on a default or demo secret outside the demo profile. */
  public static class DefaultSecretRefusedException extends IllegalStateException {
    private final List<String> problems;

    DefaultSecretRefusedException(List<String> problems) {
      super(
          "VITALS_PROFILE=production refuses default and demo secrets: "
              + String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /** Prints the refusal as Spring Boot's "APPLICATION FAILED TO START" report. */
  public static class Analyzer extends AbstractFailureAnalyzer<DefaultSecretRefusedException> {
    @Override
    protected FailureAnalysis analyze(Throwable root, DefaultSecretRefusedException cause) {
      return new FailureAnalysis(
          "VITALS_PROFILE=production and a demo setup is configured:\n  - "
              + String.join("\n  - ", cause.problems()),
          "Set each named setting (docs/security.md, \"Default secrets\"), or run the embedded"
              + " demo with VITALS_PROFILE=demo (never with real patient data).",
          cause);
    }
  }
}
