package org.vitals.cds.monitor;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vitals.cds.clinical.Codes;
import org.vitals.cds.config.CdsProperties;
import org.vitals.cds.fhir.FhirClients;
import org.vitals.cds.fhir.FhirServerToken;

/**
 * Registers the monitor's rest-hook Subscriptions on the FHIR server at start-up (new vital-sign
 * Observations; changes to our alerts, for acknowledgements; new ECG strips, to annotate them,
 * decision 0712), updating those left by an earlier run, and retries in the background until the
 * FHIR server answers. Once they are active it has the {@link Monitor} catch up with what was
 * written meanwhile; a probe every few seconds notices a FHIR server that went away or lost the
 * Subscriptions and connects (and catches up) again. The FHIR server sends a shared secret back in
 * the {@code Authorization} header, so only it can feed the monitor.
 */
@Component
public class MonitorSubscriptions {

  private static final Logger log = LoggerFactory.getLogger(MonitorSubscriptions.class);

  /** The Observation criteria. */
  public static final String VITALS = "Observation?category=vital-signs";

  /** The alert criteria (our DetectedIssues). */
  public static final String ALERTS =
      "DetectedIssue?code=" + Codes.ALERT_KIND + "|" + AlertResources.NEWS2_ALERT;

  private final CdsProperties props;
  private final IGenericClient fhir;
  private final String secret;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final Duration ACTIVATION_WAIT = Duration.ofSeconds(30);
  private static final Duration REGISTRY_SETTLE = Duration.ofSeconds(2);

  private final Monitor monitor;
  private final AtomicBoolean connecting = new AtomicBoolean();
  private volatile boolean active;
  private volatile String vitalsId;
  private volatile String alertsId;
  private volatile String ecgId;

  public MonitorSubscriptions(
      CdsProperties props, FhirClients clients, FhirServerToken token, Monitor monitor) {
    this.props = props;
    this.monitor = monitor;
    this.fhir = clients.client(props.fhirUrl(), token);
    String s = props.monitor().secret();
    if (s == null || s.isBlank()) {
      byte[] b = new byte[32];
      new SecureRandom().nextBytes(b);
      s = HexFormat.of().formatHex(b);
    }
    this.secret = s;
  }

  /** The secret the rest-hook must present. */
  public String secret() {
    return secret;
  }

  /** True once both subscriptions are registered and active and the catch-up has started. */
  public boolean active() {
    return active;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void start() {
    if (!props.monitor().enabled()) {
      log.info("monitor disabled (VITALS_MONITOR=false)");
      return;
    }
    connect();
  }

  /**
   * (Re)connects in the background unless already doing so: registers (or updates) both
   * Subscriptions, retrying with back-off until the FHIR server answers, waits until the server has
   * activated them, then catches up with what was written meanwhile (decision 0706).
   */
  private void connect() {
    if (!connecting.compareAndSet(false, true)) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                connectLoop();
              } finally {
                connecting.set(false);
              }
            },
            "monitor-subscriptions");
    t.setDaemon(true);
    t.start();
  }

  private void connectLoop() {
    Duration wait = Duration.ofSeconds(1);
    while (!active) {
      try {
        vitalsId = register(VITALS, "Vitals monitor: new vital signs");
        alertsId = register(ALERTS, "Vitals monitor: alert acknowledgements");
        ecgId =
            monitor.annotatesEcg()
                ? register(Monitor.ECG_STRIPS, "Vitals monitor: ECG strips to annotate")
                : null;
        awaitActivated();
        active = true;
        log.info("monitor subscriptions registered at {}", props.fhirUrl());
        // Deliveries flow from here on; what was written before (while we were down, the server
        // restarted, or a notification was lost) is found by searching.
        monitor.catchUp();
        return;
      } catch (RuntimeException e) {
        active = false;
        log.warn(
            "cannot register monitor subscriptions or catch up at {} ({}); retrying in {} s",
            props.fhirUrl(),
            e.toString(),
            wait.toSeconds());
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
        wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
      }
    }
  }

  /**
   * The FHIR server activates a requested Subscription and loads it into its matcher
   * asynchronously; until then writes are not delivered. Wait for {@code active}, then a moment for
   * the in-memory registry: anything written meanwhile is found by the catch-up that follows.
   */
  private void awaitActivated() {
    long until = System.nanoTime() + ACTIVATION_WAIT.toNanos();
    while (System.nanoTime() < until) {
      if (isActive(vitalsId) && isActive(alertsId) && (ecgId == null || isActive(ecgId))) {
        sleep(REGISTRY_SETTLE);
        return;
      }
      sleep(Duration.ofMillis(250));
    }
    log.warn(
        "monitor subscriptions not active after {} s; catching up anyway",
        ACTIVATION_WAIT.toSeconds());
  }

  private boolean isActive(String id) {
    Subscription s = fhir.read().resource(Subscription.class).withId(id).execute();
    return s.getStatus() == Subscription.SubscriptionStatus.ACTIVE;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Every few seconds: are both Subscriptions still there and active? A failed read means the FHIR
   * server is down or unreachable (a restart takes far longer than the probe interval), a missing
   * or deactivated Subscription that it lost them: reconnect, which catches up.
   */
  @Scheduled(fixedDelayString = "${vitals.cds.monitor.probe-every:PT5S}")
  public void probe() {
    if (!active || !props.monitor().enabled()) {
      return;
    }
    try {
      if (isActive(vitalsId) && isActive(alertsId) && (ecgId == null || isActive(ecgId))) {
        return;
      }
      log.warn("monitor subscriptions at {} no longer active: re-registering", props.fhirUrl());
    } catch (RuntimeException e) {
      log.warn(
          "FHIR server {} unreachable ({}): reconnecting and catching up when it answers",
          props.fhirUrl(),
          e.toString());
    }
    active = false;
    connect();
  }

  /**
   * Every few seconds while active: has every vital sign of the settled windows been delivered?
   * (decision 0708; the monitor replays a window that lacks some).
   */
  @Scheduled(fixedDelayString = "${vitals.cds.monitor.reconcile-every:PT15S}")
  public void reconcile() {
    if (!active || !props.monitor().enabled()) {
      return;
    }
    try {
      monitor.reconcile();
    } catch (RuntimeException e) {
      // The probe notices an unreachable server and reconnects; the windows stay due.
      log.info("monitor reconciliation postponed: {}", e.toString());
    }
  }

  private String register(String criteria, String reason) {
    String endpoint = props.monitor().callbackUrl();
    Bundle existing =
        fhir.search()
            .forResource(Subscription.class)
            .where(Subscription.URL.matches().value(endpoint))
            .returnBundle(Bundle.class)
            .execute();
    Subscription s = null;
    for (Bundle.BundleEntryComponent e : existing.getEntry()) {
      Subscription candidate = (Subscription) e.getResource();
      if (criteria.equals(candidate.getCriteria())
          && endpoint.equals(candidate.getChannel().getEndpoint())) {
        s = candidate;
      }
    }
    if (s == null) {
      s = new Subscription();
    }
    s.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    s.setReason(reason);
    s.setCriteria(criteria);
    s.getChannel()
        .setType(Subscription.SubscriptionChannelType.RESTHOOK)
        .setEndpoint(endpoint)
        .setPayload("application/fhir+json");
    s.getChannel().setHeader(List.of(new StringType("Authorization: Bearer " + secret)));
    if (s.hasIdElement() && s.getIdElement().hasIdPart()) {
      fhir.update().resource(s).execute();
      return s.getIdElement().getIdPart();
    }
    return fhir.create().resource(s).execute().getId().getIdPart();
  }
}
