package org.vitals.cds.hooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.vitals.cds.auth.CdsJwtVerifier;
import org.vitals.cds.auth.TrustedIssuers;

/**
 * Warms the JIT before the service takes CDS calls (decision 0710): runs {@code
 * VITALS_CDS_WARM_UP_CALLS} calls of a made-up patient with a full prefetch ({@link
 * SyntheticPatient}) through the service's own code, the ES384 check of a signed token, the body
 * reader, the rules, the cards and the JSON answer, one after the other, for at most {@code
 * VITALS_CDS_WARM_UP_MAX}. A cold service takes seconds per call and, under an open-loop load,
 * collapses or sheds (decision 0707).
 *
 * <p>An {@link ApplicationRunner}: Spring Boot publishes readiness (ACCEPTING_TRAFFIC, {@code
 * /actuator/health} UP) only after the runners, and {@link CallAdmission} answers CDS calls with
 * 503 until then. The token is signed by a key made here and held only in memory, checked by a
 * verifier of its own: the serving verifier trusts nothing new. Nothing is stored or logged of the
 * data.
 */
@Component
public class WarmUp implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
  private static final String ISSUER = "urn:vitals:cds-warm-up";

  private final CdsServicesController controller;
  private final ObjectMapper json;
  private final int calls;
  private final Duration max;
  private volatile Result result;

  /** What the warm-up did: calls made, total time, first and mean of the last ten calls. */
  public record Result(int calls, long millis, double firstMillis, double lastTenMeanMillis) {}

  public WarmUp(
      CdsServicesController controller,
      ObjectProvider<ObjectMapper> json,
      @Value("${vitals.cds.warm-up-calls:300}") int calls,
      @Value("${vitals.cds.warm-up-max:PT60S}") Duration max) {
    this.controller = controller;
    this.json = json.getIfAvailable(ObjectMapper::new);
    this.calls = calls;
    this.max = max;
  }

  /** The finished warm-up, or null before (or when it is off). */
  public Result result() {
    return result;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (calls <= 0) {
      log.info("JIT warm-up off (VITALS_CDS_WARM_UP_CALLS={})", calls);
      return;
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("cds-warm-up");
      result = warm(dir);
      log.info(
          "JIT warm-up: {} CDS calls in {} ms (first {} ms, last ten {} ms each); taking CDS"
              + " calls now",
          result.calls(),
          result.millis(),
          Math.round(result.firstMillis()),
          String.format(java.util.Locale.ROOT, "%.1f", result.lastTenMeanMillis()));
    } catch (Exception e) {
      log.warn("JIT warm-up stopped early (the service starts anyway, cold): {}", e.toString());
    } finally {
      if (dir != null) {
        try (var files = Files.list(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Files.deleteIfExists(f);
          }
          Files.deleteIfExists(dir);
        } catch (java.io.IOException ignored) {
          // a temp file with a public key: harmless
        }
      }
    }
  }

  private Result warm(Path dir) throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_384).keyID("warm-up").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    CdsJwtVerifier verifier = new CdsJwtVerifier(TrustedIssuers.parse(ISSUER + "=" + jwks.toUri()));
    String base = "http://127.0.0.1";
    Instant now = Instant.now();
    // Several bodies, a few seconds apart: the ECG finding is cached per set of strips, and the
    // analysis must be warmed too.
    byte[][] patientView = new byte[16][];
    for (int i = 0; i < patientView.length; i++) {
      patientView[i] = SyntheticPatient.request("patient-view", now.minusSeconds(i * 7L));
    }
    byte[] encounterStart = SyntheticPatient.request("encounter-start", now);
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    double first = 0;
    double[] last = new double[10];
    int n = 0;
    var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    long jitMark = timed ? jit.getTotalCompilationTime() : 0;
    long jitMarkAt = System.nanoTime();
    boolean compiling = timed;
    // The calls asked for, then on while the JIT is still busy compiling (more than a tenth of
    // the last second's wall time in compilation): a call that was compiled is not yet a call
    // that runs compiled.
    while ((n < calls || compiling) && System.nanoTime() < deadline) {
      if (timed && System.nanoTime() - jitMarkAt >= 1_000_000_000L) {
        long total = jit.getTotalCompilationTime();
        compiling = total - jitMark > 100;
        jitMark = total;
        jitMarkAt = System.nanoTime();
      }
      long t0 = System.nanoTime();
      // One call in ten is encounter-start, as a CDS client would mix them.
      boolean admission = n % 10 == 9;
      String id =
          admission ? CdsServicesController.ENCOUNTER_START : CdsServicesController.PATIENT_VIEW;
      String url = base + "/cds-services/" + id;
      verifier.verify(token(key, ISSUER, url, 300), url);
      var answer =
          controller.answer(
              id, admission ? encounterStart : patientView[n % patientView.length], base);
      if (!answer.getStatusCode().is2xxSuccessful()) {
        throw new IllegalStateException("warm-up call answered " + answer.getStatusCode());
      }
      json.writeValueAsBytes(answer.getBody());
      double ms = (System.nanoTime() - t0) / 1e6;
      if (n == 0) {
        first = ms;
      }
      last[n % last.length] = ms;
      n++;
    }
    double sum = 0;
    int k = Math.min(n, last.length);
    for (int i = 0; i < k; i++) {
      sum += last[i];
    }
    return new Result(n, (System.nanoTime() - start) / 1_000_000, first, k == 0 ? 0 : sum / k);
  }

  /**
   * An ES384 CDS client token as the spec asks for: {@code iss}, {@code aud} (the called URL),
   * {@code iat}, {@code exp}, a fresh {@code jti}, header {@code typ: JWT} and {@code kid}.
   */
  public static String token(ECKey key, String issuer, String aud, long lifetimeSeconds)
      throws com.nimbusds.jose.JOSEException {
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES384)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(aud)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(lifetimeSeconds)))
                .jwtID(UUID.randomUUID().toString())
                .build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }
}
