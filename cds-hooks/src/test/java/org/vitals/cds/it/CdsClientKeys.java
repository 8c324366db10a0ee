package org.vitals.cds.it;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** A CDS client's keys and the JWTs it signs, good and bad. */
public final class CdsClientKeys {

  public final String issuer;
  public final ECKey ec;
  public final RSAKey rsa;
  public final Path jwksFile;

  public CdsClientKeys(String issuer, Path dir) throws Exception {
    this.issuer = issuer;
    this.ec = new ECKeyGenerator(Curve.P_384).keyID("ec-" + UUID.randomUUID()).generate();
    this.rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
    this.jwksFile = dir.resolve("jwks-" + UUID.randomUUID() + ".json");
    Files.writeString(
        jwksFile, new JWKSet(java.util.List.of(ec.toPublicJWK(), rsa.toPublicJWK())).toString());
  }

  /** The allow-list entry. */
  public String trustEntry() {
    return issuer + "=" + jwksFile.toUri();
  }

  public JWTClaimsSet.Builder claims(String aud) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(aud)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .jwtID(UUID.randomUUID().toString());
  }

  public String es384(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES384)
                .keyID(ec.getKeyID())
                .type(JOSEObjectType.JWT)
                .jwkURL(URI.create(jwksFile.toUri().toString()))
                .build(),
            claims);
    jwt.sign(new ECDSASigner(ec));
    return jwt.serialize();
  }

  public String rs384(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS384)
                .keyID(rsa.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new RSASSASigner(rsa));
    return jwt.serialize();
  }

  public String hs256(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID(ec.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new MACSigner("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  public String none(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  /** A valid ES384 header and signature over other claims than the ones it carries. */
  public String tampered(JWTClaimsSet claims) throws Exception {
    String[] signed = es384(claims).split("\\.");
    JWTClaimsSet other =
        new JWTClaimsSet.Builder(claims).jwtID(UUID.randomUUID().toString()).build();
    String[] swapped = es384(other).split("\\.");
    return signed[0] + "." + swapped[1] + "." + signed[2];
  }
}
