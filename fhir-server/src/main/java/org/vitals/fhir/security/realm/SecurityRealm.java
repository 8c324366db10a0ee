package org.vitals.fhir.security.realm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who may sign in and which apps and services may ask for tokens, read from configuration (a JSON
 * file, {@code VITALS_SECURITY_REALM}) or, in the embedded default, from the demo realm shipped in
 * the jar ({@code security/demo-realm.json}).
 *
 * @param users clinicians (linked to Practitioner resources) and patients (linked to Patient)
 * @param clients registered SMART apps and backend services
 * @param seedResources create the users' Practitioner/Patient resources (and a ward Encounter per
 *     patient) when they are missing: the demo realm sets it; production realms leave it off and
 *     link users to existing resources
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SecurityRealm(List<User> users, List<Client> clients, boolean seedResources) {

  public SecurityRealm {
    users = users == null ? List.of() : List.copyOf(users);
    clients = clients == null ? List.of() : List.copyOf(clients);
  }

  /**
   * A person who signs in.
   *
   * @param password a Spring Security encoded password ({@code {bcrypt}...}; {@code {noop}} only in
   *     the demo realm)
   * @param fhirUser {@code Practitioner/<id>} or {@code Patient/<id>}
   * @param name display name (also the seeded resource's name)
   * @param gender seeded Patient gender (demo)
   * @param birthDate seeded Patient birth date (demo)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record User(
      String username,
      String password,
      String fhirUser,
      String name,
      String gender,
      String birthDate) {

    public boolean patient() {
      return fhirUser != null && fhirUser.startsWith("Patient/");
    }

    public boolean practitioner() {
      return fhirUser != null && fhirUser.startsWith("Practitioner/");
    }
  }

  /**
   * A registered client.
   *
   * @param type {@code public} (browser app, PKCE), {@code confidential-asymmetric} (app with
   *     private_key_jwt) or {@code backend} (SMART backend services: client_credentials with
   *     private_key_jwt)
   * @param redirectUris exact redirect URIs (apps)
   * @param scopes the most this client may be granted: context scopes as they are ({@code launch},
   *     {@code openid}), resource scopes as ceilings ({@code user/*.cruds} allows {@code
   *     user/Observation.rs})
   * @param jwks the client's public JWK Set, by value
   * @param jwksUrl the client's public JWK Set URL
   * @param jwksFile the client's public JWK Set in a file (relative paths: under {@code
   *     <dataDir>/security/})
   * @param generateKey embedded demo only: make the key pair under the data folder if the file is
   *     missing, so local services can read their private key
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Client(
      String clientId,
      String name,
      String type,
      List<String> redirectUris,
      List<String> scopes,
      JsonNode jwks,
      String jwksUrl,
      String jwksFile,
      boolean generateKey) {

    public Client {
      redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
      scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    public boolean backend() {
      return "backend".equals(type);
    }

    public boolean publicClient() {
      return "public".equals(type);
    }
  }

  /** Names of people signed in at the external OpenID Connect provider (decision 0807). */
  public static final String OIDC_PREFIX = "oidc:";

  /**
   * The signed-in name of a provider's account mapped to {@code fhirUser}: {@code
   * oidc:<fhirUser>:<subject>}. The name itself says who the person is in FHIR, so it survives in
   * stored authorizations (refresh after a restart) without a table of its own.
   */
  public static String oidcUsername(String fhirUser, String subject) {
    return OIDC_PREFIX + fhirUser + ":" + subject;
  }

  /** A realm user by name, or the FHIR user an external sign-in was mapped to. */
  public Optional<User> user(String username) {
    if (username != null && username.startsWith(OIDC_PREFIX)) {
      int end = username.indexOf(':', OIDC_PREFIX.length());
      String fhirUser = end < 0 ? null : username.substring(OIDC_PREFIX.length(), end);
      return fhirUser == null || !fhirUser.matches("(Practitioner|Patient)/[A-Za-z0-9.-]{1,64}")
          ? Optional.empty()
          : Optional.of(new User(username, null, fhirUser, null, null, null));
    }
    return Optional.ofNullable(usersByName().get(username));
  }

  private Map<String, User> usersByName() {
    return users.stream().collect(Collectors.toMap(User::username, Function.identity()));
  }
}
