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
import org.springframework.core.env.PropertyResolver;
import org.vitals.support.profile.ProductionProfileGuard;

/**
 * Refuses to start the FHIR server on a default or demo secret unless the embedded demo profile is
 * active ({@code VITALS_PROFILE=demo}, the default; {@code production} refuses them). Runs before
 * any bean, so nothing (demo keys, demo users) is made first. docs/security.md, "Default secrets";
 * docs/decisions/0931-demo-profile-and-default-secrets.md. The profile check, refusal and failure
 * report are {@link ProductionProfileGuard}'s (decision 0935); the checks here are the server's.
 */
public class DemoSecretsGuard extends ProductionProfileGuard {

  /** Passwords nobody should run a database with outside a demo. */
  static final Set<String> WEAK_PASSWORDS =
      Set.of("", "demo", "password", "changeme", "secret", "vitals", "postgres", "admin", "test");

  public DemoSecretsGuard() {
    super(false, "default and demo secrets", "default or demo secrets are configured");
  }

  @Override
  protected List<String> productionProblems(PropertyResolver env) {
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
}
