package org.vitals.cds.auth;

import java.util.ArrayList;
import java.util.List;
import org.springframework.core.env.PropertyResolver;
import org.vitals.support.profile.ProductionProfileGuard;

/**
 * Refuses to start the CDS services on a demo setup unless the embedded demo profile is active
 * ({@code VITALS_PROFILE=demo}, the default; {@code production} refuses): client authentication
 * off, the public CDS Hooks sandbox as a trusted issuer (its signing key is published), the FHIR
 * server's demo client key, a short rest-hook secret. Runs before any bean. docs/security.md,
 * "Default secrets". The profile check, refusal and failure report are {@link
 * ProductionProfileGuard}'s (decision 0935); the checks here are the CDS services'.
 */
public class DemoSecretsGuard extends ProductionProfileGuard {

  /** Test issuers whose private keys are public: anyone can sign as them. */
  static final List<String> PUBLIC_TEST_ISSUERS = List.of("sandbox.cds-hooks.org");

  public DemoSecretsGuard() {
    super(true, "demo settings", "demo settings are configured");
  }

  @Override
  protected List<String> productionProblems(PropertyResolver env) {
    List<String> problems = new ArrayList<>();
    if ("off".equalsIgnoreCase(setting(env, "vitals.cds.auth"))) {
      problems.add(
          "VITALS_CDS_AUTH=off lets any caller ask for cards: remove it and list the EHRs in"
              + " VITALS_CDS_TRUSTED_ISSUERS");
    }
    String issuers = setting(env, "vitals.cds.trusted-issuers");
    for (String test : PUBLIC_TEST_ISSUERS) {
      if (issuers.contains(test)) {
        problems.add(
            "VITALS_CDS_TRUSTED_ISSUERS trusts "
                + test
                + ", a test issuer whose private key is public: remove it");
      }
    }
    String key = setting(env, "vitals.cds.fhir-client-key");
    if (isDemoRealmKey(key)) {
      problems.add(
          "VITALS_FHIR_CLIENT_KEY "
              + key
              + " is the key the FHIR server's demo realm made: give the CDS services' own key"
              + " (java deploy/tools/MakeJwk.java client vitals-cds <dir>)");
    }
    String cors = corsProblem(setting(env, "vitals.cds.cors-origins"));
    if (cors != null) {
      problems.add(cors);
    }
    String secret = setting(env, "vitals.cds.monitor.secret");
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
}
