package org.vitals.fhir.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The FHIR server's settings, one home for all of them. Environment variables (documented in
 * fhir-server/README.md): {@code VITALS_DB_URL}, {@code VITALS_DB_USER}, {@code
 * VITALS_DB_PASSWORD}, {@code VITALS_DATA_DIR}, {@code VITALS_VALIDATION_MODE}, {@code
 * VITALS_MAX_BUNDLE_ENTRIES}, {@code VITALS_MAX_REQUEST_BYTES}, {@code VITALS_SEARCH_PARAMS},
 * {@code VITALS_SUBSCRIPTIONS}, {@code VITALS_READ_ONLY}, and the SMART security settings under
 * {@link Security}.
 *
 * @param dbUrl JDBC URL; blank selects the embedded H2 database under {@code dataDir}
 * @param dbUser database user
 * @param dbPassword database password (from the environment, never from code)
 * @param dbPoolSize JDBC connection pool size
 * @param dataDir where embedded state lives (the H2 files)
 * @param validationMode how vital-sign Observations are checked on write: {@code rules} (fast rules
 *     taken from the R4 vital-signs profiles), {@code full} (the HAPI instance validator against
 *     the same profiles) or {@code off}
 * @param maxBundleEntries the largest transaction or batch Bundle accepted
 * @param maxRequestBytes the largest request body accepted
 * @param searchParams which Observation search parameters are indexed: {@code vitals} (the ones our
 *     clients search on; faster writes) or {@code all} (every R4 default)
 * @param security SMART on FHIR authorization (token enforcement, realm, keys)
 * @param subscriptions {@code deliver}: this process matches Subscriptions on the writes it commits
 *     and delivers them (rest-hook, websocket); {@code off}: neither (a read replica)
 * @param readOnly refuse every FHIR write with 405 (a replica that serves reads only)
 */
@ConfigurationProperties(prefix = "vitals")
public record VitalsServerProperties(
    String dbUrl,
    String dbUser,
    String dbPassword,
    @DefaultValue("20") int dbPoolSize,
    @DefaultValue("./data") Path dataDir,
    @DefaultValue("rules") ValidationMode validationMode,
    @DefaultValue("1000") int maxBundleEntries,
    @DefaultValue("16777216") long maxRequestBytes,
    @DefaultValue("vitals") SearchParams searchParams,
    @DefaultValue Security security,
    @DefaultValue("deliver") Subscriptions subscriptions,
    @DefaultValue("false") boolean readOnly) {

  /**
   * SMART on FHIR authorization settings ({@code VITALS_SECURITY}, {@code VITALS_PUBLIC_URL},
   * {@code VITALS_SECURITY_REALM}, {@code VITALS_SECURITY_SIGNING_KEY}, token lifetimes).
   *
   * @param enforcement {@code on}: every FHIR request needs a valid token; {@code off}: local
   *     development only, loudly logged
   * @param publicUrl the server's public base URL ({@code https://vitals.example.org}); blank:
   *     taken from each request (issuer and FHIR audience then follow the host name the client
   *     used)
   * @param realmFile JSON file with the users and registered clients; blank: the embedded demo
   *     realm
   * @param signingKeyFile RSA private JWK that signs tokens; blank: generated once and kept under
   *     {@code <dataDir>/security/}
   * @param accessTokenLifetime access tokens of apps (authorization code grant)
   * @param backendTokenLifetime access tokens of backend services (at most 5 minutes per SMART)
   * @param refreshTokenLifetime refresh tokens ({@code offline_access})
   */
  public record Security(
      @DefaultValue("on") Enforcement enforcement,
      String publicUrl,
      Path realmFile,
      Path signingKeyFile,
      @DefaultValue("PT1H") java.time.Duration accessTokenLifetime,
      @DefaultValue("PT5M") java.time.Duration backendTokenLifetime,
      @DefaultValue("P30D") java.time.Duration refreshTokenLifetime) {

    public boolean enforced() {
      return enforcement != Enforcement.OFF;
    }
  }

  /** Whether FHIR requests need a token. */
  public enum Enforcement {
    ON,
    OFF
  }

  /** Whether this process matches and delivers Subscriptions. */
  public enum Subscriptions {
    DELIVER,
    OFF
  }

  /** Which Observation search parameters are indexed. */
  public enum SearchParams {
    VITALS,
    ALL
  }

  /** How vital-sign Observations are checked on write. */
  public enum ValidationMode {
    RULES,
    FULL,
    OFF
  }

  public boolean embedded() {
    return dbUrl == null || dbUrl.isBlank();
  }
}
