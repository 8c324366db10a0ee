package org.vitals.cds.auth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertyResolver;

/**
 * Refuses to start the CDS services on a demo setup unless the embedded demo profile is active
 * ({@code VITALS_PROFILE=demo}, the default; {@code production} refuses): client authentication
 * off, the public CDS Hooks sandbox as a trusted issuer (its signing key is published), the FHIR
 * server's demo client key, a short rest-hook secret. Runs before any bean. docs/security.md,
 * "Default secrets".
 */
public class DemoSecretsGuard implements EnvironmentPostProcessor {

  /** Test issuers whose private keys are public: anyone can sign as them. */
  static final List<String> PUBLIC_TEST_ISSUERS = List.of("sandbox.cds-hooks.org");

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    List<String> problems = problems(environment);
    if (!problems.isEmpty()) {
      throw new DefaultSecretRefusedException(problems);
    }
  }

  /** What keeps the CDS services from starting with these settings; empty when they may. */
  static List<String> problems(PropertyResolver env) {
    String profile = get(env, "vitals.profile").toLowerCase(Locale.ROOT);
    if (profile.isEmpty() || profile.equals("demo")) {
      return List.of();
    }
    if (!profile.equals("production")) {
      return List.of("VITALS_PROFILE is '" + profile + "': it must be demo or production");
    }
    List<String> problems = new ArrayList<>();
    if ("off".equalsIgnoreCase(get(env, "vitals.cds.auth"))) {
      problems.add(
          "VITALS_CDS_AUTH=off lets any caller ask for cards: remove it and list the EHRs in"
              + " VITALS_CDS_TRUSTED_ISSUERS");
    }
    String issuers = get(env, "vitals.cds.trusted-issuers");
    for (String test : PUBLIC_TEST_ISSUERS) {
      if (issuers.contains(test)) {
        problems.add(
            "VITALS_CDS_TRUSTED_ISSUERS trusts "
                + test
                + ", a test issuer whose private key is public: remove it");
      }
    }
    String key = get(env, "vitals.cds.fhir-client-key");
    if (isDemoRealmKey(key)) {
      problems.add(
          "VITALS_FHIR_CLIENT_KEY "
              + key
              + " is the key the FHIR server's demo realm made: give the CDS services' own key"
              + " (java deploy/tools/MakeJwk.java client vitals-cds <dir>)");
    }
    String cors = corsProblem(get(env, "vitals.cds.cors-origins"));
    if (cors != null) {
      problems.add(cors);
    }
    String secret = get(env, "vitals.cds.monitor.secret");
    if (!secret.isEmpty() && secret.length() < 16) {
      problems.add(
          "VITALS_MONITOR_SECRET has "
              + secret.length()
              + " characters: use at least 16 random ones (openssl rand -hex 32), or leave it"
              + " unset for a random one per start");
    }
    return problems;
  }

  /**
   * Why a browser-origin allow-list is not fit for production, or null when it is: it must be set
   * (the embedded default is {@code *}) and name origins, not a pattern that matches any host.
   */
  static String corsProblem(String origins) {
    List<String> list =
        java.util.Arrays.stream(origins.split(","))
            .map(String::trim)
            .filter(o -> !o.isEmpty())
            .toList();
    if (list.isEmpty()) {
      return "VITALS_CDS_CORS_ORIGINS is empty: list the EHR origins whose browsers may call the"
          + " CDS services (e.g. https://ehr.example.org)";
    }
    for (String o : list) {
      if (matchesAnyHost(o)) {
        return "VITALS_CDS_CORS_ORIGINS allows '"
            + o
            + "', which any web site matches"
            + ("*".equals(o) ? " (the embedded default when it is not set)" : "")
            + ": list the EHR origins whose browsers may call the CDS services"
            + " (e.g. https://ehr.example.org)";
      }
    }
    return null;
  }

  /**
   * True for an origin pattern (Spring's {@code allowedOriginPatterns}) whose host part is a bare
   * wildcard or a wildcard over a top-level domain: {@code *}, {@code https://*}, {@code
   * http://*:[*]}, {@code https://*.org}.
   */
  static boolean matchesAnyHost(String pattern) {
    String host = pattern;
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      if (host.substring(0, scheme).contains("*")) {
        return true;
      }
      host = host.substring(scheme + 3);
    }
    int port = host.lastIndexOf(':');
    if (port >= 0) {
      host = host.substring(0, port);
    }
    if (!host.contains("*")) {
      return false;
    }
    if (!host.startsWith("*.")) {
      return true; // "*", "ehr*", "*ehr.org": any prefix or suffix of a name
    }
    String rest = host.substring(2);
    return rest.contains("*") || !rest.contains(".");
  }

  /** Keys the demo realm writes: {@code <data>/security/clients/<client>.private.jwk.json}. */
  static boolean isDemoRealmKey(String key) {
    if (key.isEmpty() || key.startsWith("{")) {
      return false;
    }
    Path p = Path.of(key).normalize();
    Path clients = p.getParent();
    Path security = clients == null ? null : clients.getParent();
    return p.getFileName().toString().endsWith(".private.jwk.json")
        && clients != null
        && clients.getFileName().toString().equals("clients")
        && security != null
        && security.getFileName() != null
        && security.getFileName().toString().equals("security");
  }

  private static String get(PropertyResolver env, String name) {
    String value = env.getProperty(name);
    return value == null ? "" : value.trim();
  }

  /** The CDS services would run on a demo setup outside the demo profile. */
  public static class DefaultSecretRefusedException extends IllegalStateException {
    private final List<String> problems;

    DefaultSecretRefusedException(List<String> problems) {
      super("VITALS_PROFILE=production refuses demo settings: " + String.join("; ", problems));
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
          "VITALS_PROFILE=production and demo settings are configured:\n  - "
              + String.join("\n  - ", cause.problems()),
          "Set each named setting (docs/security.md, \"Default secrets\"), or run the embedded"
              + " demo with VITALS_PROFILE=demo (never with real patient data).",
          cause);
    }
  }
}
