package org.vitals.cds.hooks;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds how many CDS service calls are worked on at once (decision 0707). A {@code patient-view}
 * call is CPU work on a request body of up to a megabyte: with Tomcat's 200 threads all parsing and
 * evaluating at once, a burst or a cold start makes every call slow, fills the heap with request
 * trees, and the collector's pauses then stall the acceptor so new connections time out. Calls
 * beyond {@code permits} wait here, before their body is read, in arrival order; one that cannot
 * start within {@code queueTimeout} gets 503 with {@code Retry-After} (a CDS client shows no cards
 * and the clinician is not kept waiting). Discovery, feedback and the monitor's rest-hooks are not
 * limited, so deliveries from the FHIR server are never queued behind CDS calls.
 */
public final class CallAdmission extends OncePerRequestFilter {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(CallAdmission.class);

  private final Semaphore permits;
  private final int size;
  private final long timeoutNanos;
  private final AtomicLong refused = new AtomicLong();
  private final BooleanSupplier ready;

  /**
   * @param permits calls worked on at once (at least 1)
   * @param queueTimeout how long a call may wait for a permit before 503
   */
  public CallAdmission(int permits, Duration queueTimeout) {
    this(permits, queueTimeout, () -> true);
  }

  /**
   * @param permits calls worked on at once (at least 1)
   * @param queueTimeout how long a call may wait for a permit before 503
   * @param ready false while the service starts (JIT warm-up, {@link WarmUp}) or stops: calls then
   *     get 503 at once
   */
  public CallAdmission(int permits, Duration queueTimeout, BooleanSupplier ready) {
    this.size = Math.max(1, permits);
    this.permits = new Semaphore(size, true);
    this.timeoutNanos = queueTimeout.toNanos();
    this.ready = ready;
  }

  /** Calls worked on at once. */
  public int permits() {
    return size;
  }

  /** Calls refused with 503 since start. */
  public long refused() {
    return refused.get();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return !"POST".equals(request.getMethod())
        || !path.startsWith("/cds-services/")
        || path.endsWith("/feedback");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!ready.getAsBoolean()) {
      unavailable(
          response, "5", "the CDS service is starting (warming up); retry in a few seconds");
      return;
    }
    boolean admitted;
    try {
      admitted = permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      admitted = false;
    }
    if (!admitted) {
      long n = refused.incrementAndGet();
      if (n == 1 || n % 100 == 0) {
        log.warn(
            "CDS call refused with 503: {} calls already in work and none finished within {} ms"
                + " ({} refused since start)",
            size,
            timeoutNanos / 1_000_000,
            n);
      }
      unavailable(response, "1", "the CDS service is busy; retry in a second");
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      permits.release();
    }
  }

  private static void unavailable(HttpServletResponse response, String retryAfter, String why)
      throws IOException {
    response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    response.setHeader("Retry-After", retryAfter);
    response.setContentType("application/json");
    response
        .getOutputStream()
        .write(
            ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                    + "\"code\":\"transient\",\"diagnostics\":\""
                    + why
                    + "\"}]}")
                .getBytes(StandardCharsets.UTF_8));
  }
}
