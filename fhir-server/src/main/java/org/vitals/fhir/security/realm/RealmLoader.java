package org.vitals.fhir.security.realm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vitals.fhir.security.KeyFiles;

/**
 * Loads the realm: the configured JSON file, or the demo realm from the jar. Client JWK Sets given
 * as files are read here (relative to {@code <dataDir>/security/}); demo clients marked {@code
 * generateKey} get their key pair made on first start.
 */
public final class RealmLoader {

  public static final String DEMO_REALM = "security/demo-realm.json";

  private final ObjectMapper json = new ObjectMapper();

  public SecurityRealm load(Path realmFile, Path securityDir) {
    boolean demo = realmFile == null || realmFile.toString().isBlank();
    JsonNode root;
    try {
      if (demo) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(DEMO_REALM)) {
          root = json.readTree(in);
        }
      } else {
        root = json.readTree(Files.readString(realmFile));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the security realm " + realmFile, e);
    }
    SecurityRealm realm;
    try {
      realm = json.treeToValue(root, SecurityRealm.class);
    } catch (IOException e) {
      throw new IllegalStateException(
          "the security realm " + (demo ? DEMO_REALM : realmFile) + " is malformed: " + e, e);
    }
    List<SecurityRealm.Client> clients = new ArrayList<>();
    for (SecurityRealm.Client client : realm.clients()) {
      clients.add(withKeys(client, securityDir, demo));
    }
    return new SecurityRealm(realm.users(), clients, realm.seedResources());
  }

  private SecurityRealm.Client withKeys(
      SecurityRealm.Client client, Path securityDir, boolean demo) {
    if (client.jwksFile() == null || client.jwksFile().isBlank()) {
      return client;
    }
    Path file = securityDir.resolve(client.jwksFile());
    if (!Files.exists(file) && demo && client.generateKey()) {
      KeyFiles.demoClientKeyPair(file, client.clientId());
    }
    try {
      JsonNode jwks = json.readTree(Files.readString(file));
      if (!(jwks instanceof ObjectNode) || !jwks.has("keys")) {
        throw new IllegalStateException(file + " is not a JWK Set (no \"keys\")");
      }
      return new SecurityRealm.Client(
          client.clientId(),
          client.name(),
          client.type(),
          client.redirectUris(),
          client.scopes(),
          jwks,
          client.jwksUrl(),
          client.jwksFile(),
          client.generateKey());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the JWK Set of client " + client.clientId() + " at " + file, e);
    }
  }
}
