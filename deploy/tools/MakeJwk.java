// Makes the keys a deployment needs, with the JDK only (docs/deployment.md, "Secrets"):
//
//   java deploy/tools/MakeJwk.java signing <dir>          RSA 3072 signing key of the FHIR server
//        -> <dir>/signing-key.jwk.json (private JWK, VITALS_SECURITY_SIGNING_KEY)
//   java deploy/tools/MakeJwk.java client <client id> <dir>   ES384 key of a backend client
//        -> <dir>/<client id>.private.jwk.json  (the client's VITALS_FHIR_CLIENT_KEY)
//           <dir>/<client id>.jwks.json         (public JWK Set for the realm's "jwks")
//
// Files are written with owner-only permissions; nothing secret is printed.

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.UUID;

public class MakeJwk {

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("signing")) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(3072);
      RSAPrivateCrtKey k = (RSAPrivateCrtKey) g.generateKeyPair().getPrivate();
      String kid = "vitals-signing-" + UUID.randomUUID().toString().substring(0, 8);
      String jwk =
          "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\""
              + ",\"n\":\"" + b64(k.getModulus()) + "\",\"e\":\"" + b64(k.getPublicExponent())
              + "\",\"d\":\"" + b64(k.getPrivateExponent()) + "\",\"p\":\"" + b64(k.getPrimeP())
              + "\",\"q\":\"" + b64(k.getPrimeQ()) + "\",\"dp\":\"" + b64(k.getPrimeExponentP())
              + "\",\"dq\":\"" + b64(k.getPrimeExponentQ()) + "\",\"qi\":\""
              + b64(k.getCrtCoefficient()) + "\"}";
      Path out = write(Path.of(args[1]), "signing-key.jwk.json", jwk, true);
      System.out.println("wrote " + out + " (kid " + kid + ")");
    } else if (args.length == 3 && args[0].equals("client")) {
      String client = args[1];
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp384r1"));
      KeyPair pair = g.generateKeyPair();
      ECPublicKey pub = (ECPublicKey) pair.getPublic();
      ECPrivateKey priv = (ECPrivateKey) pair.getPrivate();
      String kid = client + "-" + UUID.randomUUID().toString().substring(0, 8);
      String x = b64(pub.getW().getAffineX(), 48);
      String y = b64(pub.getW().getAffineY(), 48);
      String common =
          "\"kty\":\"EC\",\"crv\":\"P-384\",\"use\":\"sig\",\"alg\":\"ES384\",\"kid\":\"" + kid
              + "\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"";
      Path dir = Path.of(args[2]);
      Path key =
          write(dir, client + ".private.jwk.json", "{" + common + ",\"d\":\"" + b64(priv.getS(), 48) + "\"}", true);
      Path jwks = write(dir, client + ".jwks.json", "{\"keys\":[{" + common + "}]}", false);
      System.out.println("wrote " + key + " and " + jwks + " (kid " + kid + ")");
    } else {
      System.err.println(
          "usage: java MakeJwk.java signing <dir> | java MakeJwk.java client <client id> <dir>");
      System.exit(2);
    }
  }

  static Path write(Path dir, String name, String content, boolean secret) throws Exception {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    if (Files.exists(file)) {
      System.err.println("make-jwk: " + file + " exists; not overwritten");
      System.exit(1);
    }
    Files.writeString(file, content + "\n");
    if (secret) {
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
    }
    return file;
  }

  static String b64(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = java.util.Arrays.copyOfRange(b, 1, b.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Fixed-length big-endian (EC coordinates and private scalars are padded to the curve size). */
  static String b64(BigInteger v, int length) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }
}
