package org.vitals.fhir.security.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * A realm file for tests, as an operator would write one (VITALS_SECURITY_REALM): the demo users
 * and apps, plus test clients whose private keys only this JVM knows: {@code vitals-test-admin}
 * (backend, ES384, {@code system/*.cruds}: the contract suite's client), {@code vitals-test-rsa}
 * (backend, RS384, {@code system/*.rs}) and {@code vitals-test-app} (public app, any patient/user
 * scope, redirect {@value #TEST_APP_REDIRECT}).
 */
public final class TestRealm {

  public static final String ADMIN = "vitals-test-admin";
  public static final String RSA_CLIENT = "vitals-test-rsa";
  public static final String TEST_APP = "vitals-test-app";
  public static final String TEST_APP_REDIRECT = "http://localhost/test-app/callback";

  public static final String JWKS_URL_CLIENT = "vitals-test-jwks-url";

  public static final ECKey ADMIN_KEY = ecKey(ADMIN);
  public static final RSAKey RSA_KEY = rsaKey(RSA_CLIENT);
  public static final ECKey JWKS_URL_KEY = ecKey(JWKS_URL_CLIENT);

  /** Serves {@link #JWKS_URL_KEY}'s public JWK Set, as a third party would at its JWKS URL. */
  public static final String JWKS_URL = serveJwks(new JWKSet(JWKS_URL_KEY.toPublicJWK()));

  private static final Path FILE = write();

  private TestRealm() {}

  public static Path file() {
    return FILE;
  }

  /** Sets a fresh data folder and the test realm on a Spring test context. */
  public static final class Initializer
      implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      try {
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(
            context,
            "vitals.data-dir=" + Files.createTempDirectory("vitals-it-data"),
            "vitals.security.realm-file=" + FILE,
            "spring.jmx.enabled=false");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static Path write() {
    ObjectMapper json = new ObjectMapper();
    try (InputStream demo =
        TestRealm.class.getClassLoader().getResourceAsStream("security/demo-realm.json")) {
      ObjectNode realm = (ObjectNode) json.readTree(demo);
      realm.put("seedResources", true);
      ArrayNode clients = json.createArrayNode();
      for (var client : realm.withArray("clients")) {
        if ("public".equals(client.path("type").asText())) {
          // The demo apps; the demo backend clients get no keys here. Their relative redirect
          // URIs would follow the server's port, which is random in tests: the tests use 8080.
          ArrayNode uris = json.createArrayNode();
          for (var uri : client.withArray("redirectUris")) {
            uris.add(
                uri.asText().startsWith("/")
                    ? "http://localhost:8080" + uri.asText()
                    : uri.asText());
          }
          ((ObjectNode) client).set("redirectUris", uris);
          clients.add(client);
        }
      }
      clients.add(backend(json, ADMIN, ADMIN_KEY, List.of("system/*.cruds")));
      clients.add(backend(json, RSA_CLIENT, RSA_KEY, List.of("system/*.rs")));
      ObjectNode byUrl = clients.addObject();
      byUrl.put("clientId", JWKS_URL_CLIENT).put("type", "backend").put("jwksUrl", JWKS_URL);
      byUrl.putArray("scopes").add("system/Observation.rs");
      ObjectNode app = clients.addObject();
      app.put("clientId", TEST_APP).put("type", "public");
      app.putArray("redirectUris").add(TEST_APP_REDIRECT);
      ArrayNode scopes = app.putArray("scopes");
      for (String s :
          List.of(
              "launch",
              "launch/patient",
              "launch/encounter",
              "openid",
              "fhirUser",
              "profile",
              "offline_access",
              "online_access",
              "user/*.cruds",
              "patient/*.cruds")) {
        scopes.add(s);
      }
      realm.set("clients", clients);
      Path file = Files.createTempFile("vitals-test-realm", ".json");
      Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(realm));
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode backend(ObjectMapper json, String id, JWK key, List<String> scopes)
      throws IOException {
    ObjectNode client = json.createObjectNode();
    client.put("clientId", id).put("type", "backend");
    client.set("jwks", json.readTree(new JWKSet(key.toPublicJWK()).toString(true)));
    ArrayNode array = client.putArray("scopes");
    scopes.forEach(array::add);
    return client;
  }

  private static String serveJwks(JWKSet jwks) {
    try {
      com.sun.net.httpserver.HttpServer server =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      byte[] body = jwks.toString(true).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      server.createContext(
          "/jwks.json",
          exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.setExecutor(null);
      server.start();
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ECKey ecKey(String id) {
    try {
      return new ECKeyGenerator(Curve.P_384)
          .keyID(id + "-1")
          .algorithm(JWSAlgorithm.ES384)
          .generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey rsaKey(String id) {
    try {
      return new RSAKeyGenerator(2048).keyID(id + "-1").algorithm(JWSAlgorithm.RS384).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
