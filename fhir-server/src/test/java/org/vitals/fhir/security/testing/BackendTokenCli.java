package org.vitals.fhir.security.testing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For scripts and benchmarks: prints a SMART backend-services access token, or makes a client key.
 *
 * <pre>
 * BackendTokenCli token &lt;issuer&gt; &lt;client id&gt; &lt;private JWK file&gt; &lt;scope&gt;
 * BackendTokenCli key &lt;client id&gt; &lt;private JWK file to write&gt;   (prints the public JWK Set)
 * </pre>
 */
public final class BackendTokenCli {

  private BackendTokenCli() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 5 && args[0].equals("token")) {
      JWK key = JWK.parse(Files.readString(Path.of(args[3])));
      SmartFlows.TokenResponse token = new SmartFlows(args[1]).backendToken(args[2], key, args[4]);
      if (token.status() != 200) {
        System.err.println("no token: HTTP " + token.status() + " " + token.body());
        System.exit(1);
      }
      System.out.println(token.accessToken());
    } else if (args.length == 3 && args[0].equals("key")) {
      ECKey key =
          new ECKeyGenerator(Curve.P_384)
              .keyID(args[1] + "-1")
              .algorithm(JWSAlgorithm.ES384)
              .generate();
      Files.writeString(Path.of(args[2]), key.toJSONString());
      System.out.println(new JWKSet(key.toPublicJWK()).toString(true));
    } else {
      System.err.println(
          "usage: BackendTokenCli token <issuer> <client id> <private JWK file> <scope>\n"
              + "       BackendTokenCli key <client id> <private JWK file to write>");
      System.exit(2);
    }
  }
}
