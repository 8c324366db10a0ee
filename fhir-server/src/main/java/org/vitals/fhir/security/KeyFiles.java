package org.vitals.fhir.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

/** Reads and (for the embedded default) makes the JWK files the security setup keeps. */
public final class KeyFiles {

  private KeyFiles() {}

  /** Our token signing key: read from {@code file}, or made there (owner-only) when missing. */
  public static RSAKey signingKey(Path file, boolean createIfMissing) {
    try {
      if (Files.exists(file)) {
        JWK jwk = JWK.parse(Files.readString(file));
        if (!(jwk instanceof RSAKey rsa) || !rsa.isPrivate()) {
          throw new IllegalStateException(file + " must hold a private RSA JWK");
        }
        return rsa;
      }
      if (!createIfMissing) {
        throw new IllegalStateException(
            "VITALS_SECURITY_SIGNING_KEY points at " + file + ", which does not exist");
      }
      RSAKey key =
          new RSAKeyGenerator(2048)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.RS256)
              .keyID(UUID.randomUUID().toString())
              .generate();
      writePrivate(file, key.toJSONString());
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the signing key " + file, e);
    } catch (ParseException e) {
      throw new IllegalStateException(file + " is not a JWK: " + e.getMessage(), e);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a signing key", e);
    }
  }

  /**
   * The key the CDS relay signs its CDS Hooks client JWTs with (decision 0806): an EC P-384 (ES384)
   * or RSA (RS384) private JWK read from {@code file}, or an EC P-384 key made there (owner-only)
   * when missing and {@code createIfMissing}. Never the token signing key: a CDS JWT must not be
   * usable as an access token, nor the other way round.
   */
  public static JWK cdsRelayKey(Path file, boolean createIfMissing) {
    try {
      if (Files.exists(file)) {
        JWK jwk = JWK.parse(Files.readString(file));
        boolean usable =
            jwk.isPrivate()
                && (jwk instanceof ECKey ec && Curve.P_384.equals(ec.getCurve())
                    || jwk instanceof RSAKey rsa && rsa.size() >= 2048);
        if (!usable) {
          throw new IllegalStateException(
              file + " must hold a private EC P-384 (ES384) or RSA 2048+ (RS384) JWK");
        }
        if (jwk.getKeyID() == null) {
          throw new IllegalStateException(file + ": the JWK needs a kid (CDS Hooks requires one)");
        }
        return jwk;
      }
      if (!createIfMissing) {
        throw new IllegalStateException(
            "VITALS_CDS_RELAY_KEY points at " + file + ", which does not exist");
      }
      ECKey key =
          new ECKeyGenerator(Curve.P_384)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES384)
              .keyID("cds-relay-" + UUID.randomUUID().toString().substring(0, 8))
              .generate();
      writePrivate(file, key.toJSONString());
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the CDS relay key " + file, e);
    } catch (ParseException e) {
      throw new IllegalStateException(file + " is not a JWK: " + e.getMessage(), e);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate the CDS relay key", e);
    }
  }

  /**
   * Makes an ES384 key pair for a demo backend client: the public JWK Set at {@code publicJwks}
   * (what the server trusts) and the private JWK beside it ({@code <clientId>.private.jwk.json},
   * what the local service signs its assertions with).
   */
  public static void demoClientKeyPair(Path publicJwks, String clientId) {
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_384)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES384)
              .keyID(clientId + "-" + UUID.randomUUID().toString().substring(0, 8))
              .generate();
      writePrivate(publicJwks.resolveSibling(clientId + ".private.jwk.json"), key.toJSONString());
      Files.writeString(publicJwks, new JWKSet(key.toPublicJWK()).toString(true));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write demo client keys under " + publicJwks, e);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a client key", e);
    }
  }

  private static void writePrivate(Path file, String json) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".key", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the folder's own permissions protect the file.
    }
    Files.writeString(tmp, json);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
