package org.vitals.cds.auth;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the {@code jti} of every accepted token until it expires, so a captured token cannot be
 * replayed (CDS Hooks 2.0: "jti ... to prevent replay"). Memory is bounded by the token lifetime
 * cap the verifier enforces; expired entries are dropped as new ones arrive.
 */
public final class JtiReplayCache {

  private final Map<String, Instant> seen = new ConcurrentHashMap<>();
  private volatile Instant nextPurge = Instant.EPOCH;

  /** Records the id; false when it was already used by the same issuer. */
  public boolean firstUse(String issuer, String jti, Instant expires, Instant now) {
    purge(now);
    return seen.putIfAbsent(issuer + "\n" + jti, expires) == null;
  }

  /** Number of remembered ids. */
  public int size() {
    return seen.size();
  }

  private void purge(Instant now) {
    if (now.isBefore(nextPurge)) {
      return;
    }
    nextPurge = now.plusSeconds(10);
    for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue().plusSeconds(CdsJwtVerifier.CLOCK_SKEW_SECONDS).isBefore(now)) {
        it.remove();
      }
    }
  }
}
