package org.vitals.fhir.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
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
 * Refuses to start the FHIR server on a default or demo secret unless the embedded demo profile is
 * active ({@code VITALS_PROFILE=demo}, the default; {@code production} refuses them). Runs before
 * any bean, so nothing (demo keys, demo users) is made first. docs/security.md, "Default secrets";
 * docs/decisions/0931-demo-profile-and-default-secrets.md.
 */
public class DemoSecretsGuard implements EnvironmentPostProcessor {

  /** Passwords nobody should run a database with outside a demo. */
  static final Set<String> WEAK_PASSWORDS =
      Set.of("", "demo", "password", "changeme", "secret", "vitals", "postgres", "admin", "test");

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    List<String> problems = problems(environment);
    if (!problems.isEmpty()) {
      throw new DefaultSecretRefusedException(problems);
    }
  }

  /** What keeps the server from starting with these settings; empty when it may start. */
  static List<String> problems(PropertyResolver env) {
    String profile = env.getProperty("vitals.profile", "demo").trim().toLowerCase(Locale.ROOT);
    if (profile.equals("demo")) {
      return List.of();
    }
    if (!profile.equals("production")) {
      return List.of("VITALS_PROFILE is '" + profile + "': it must be demo or production");
    }
    List<String> problems = new ArrayList<>();
    String realm = env.getProperty("vitals.security.realm-file", "").trim();
    if (realm.isEmpty()) {
      problems.add(
          "VITALS_SECURITY_REALM is not set, so the embedded demo realm would be used (users with"
              + " the password 'demo', demo apps and backend clients): give your realm.json");
    } else {
      problems.addAll(realmProblems(Path.of(realm)));
    }
    if (env.getProperty("vitals.security.signing-key-file", "").isBlank()) {
      problems.add(
          "VITALS_SECURITY_SIGNING_KEY is not set, so the server would make its own token signing"
              + " key under VITALS_DATA_DIR: give the key from a secret (java"
              + " deploy/tools/MakeJwk.java signing <dir>), the same for every replica");
    }
    if ("off".equalsIgnoreCase(env.getProperty("vitals.security.enforcement", "on").trim())) {
      problems.add("VITALS_SECURITY=off serves every FHIR request without a token: remove it");
    }
    problems.addAll(org.vitals.fhir.relay.CdsRelaySettings.problems(env, true));
    problems.addAll(org.vitals.fhir.security.oidc.OidcSettings.problems(env, true));
    String dbUrl = env.getProperty("vitals.db-url", "");
    String dbPassword = env.getProperty("vitals.db-password", "");
    if (dbUrl.startsWith("jdbc:postgresql:")
        && WEAK_PASSWORDS.contains(dbPassword.trim().toLowerCase(Locale.ROOT))) {
      problems.add(
          "VITALS_DB_PASSWORD is "
              + (dbPassword.isBlank() ? "empty" : "a default password")
              + ": give the database role a generated password (openssl rand -base64 24)");
    }
    return problems;
  }

  /** Demo entries in an operator's realm file: plain-text passwords, keys made at start. */
  static List<String> realmProblems(Path file) {
    List<String> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      return List.of("VITALS_SECURITY_REALM " + file + " cannot be read: " + e.getMessage());
    }
    for (JsonNode user : root.path("users")) {
      String password = user.path("password").asText("");
      String plain = password.startsWith("{noop}") ? password.substring(6) : null;
      if (plain != null || WEAK_PASSWORDS.contains(password.toLowerCase(Locale.ROOT))) {
        problems.add(
            "VITALS_SECURITY_REALM "
                + file
                + ": user '"
                + user.path("username").asText()
                + "' has a "
                + (plain != null ? "plain-text ({noop})" : "default")
                + " password: store it {bcrypt}-encoded");
      }
    }
    for (JsonNode client : root.path("clients")) {
      if (client.path("generateKey").asBoolean(false)) {
        problems.add(
            "VITALS_SECURITY_REALM "
                + file
                + ": client '"
                + client.path("clientId").asText()
                + "' has \"generateKey\": true (demo clients only): register its public JWK Set");
      }
    }
    return problems;
  }

  /** The server would run on a default or demo secret outside the demo profile. */
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

  /** Prints the refusal as Spring Boot's "APPLICATION FAILED TO START" report, one line each. */
  public static class Analyzer extends AbstractFailureAnalyzer<DefaultSecretRefusedException> {
    @Override
    protected FailureAnalysis analyze(Throwable root, DefaultSecretRefusedException cause) {
      return new FailureAnalysis(
          "VITALS_PROFILE=production and default or demo secrets are configured:\n  - "
              + String.join("\n  - ", cause.problems()),
          "Set each named setting (docs/security.md, \"Default secrets\"), or run the embedded"
              + " demo with VITALS_PROFILE=demo (never with real patient data).",
          cause);
    }
  }
}
