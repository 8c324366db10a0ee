package org.vitals.cds.monitor;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.vitals.cds.clinical.Codes;
import org.vitals.cds.config.CdsProperties;
import org.vitals.cds.fhir.FhirClients;
import org.vitals.cds.fhir.FhirServerToken;

/**
 * Registers the monitor's two rest-hook Subscriptions on the FHIR server at start-up (new
 * vital-sign Observations; changes to our alerts, for acknowledgements), updating those left by an
 * earlier run, and retries in the background until the FHIR server answers. The FHIR server sends a
 * shared secret back in the {@code Authorization} header, so only it can feed the monitor.
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
  private volatile boolean active;

  public MonitorSubscriptions(CdsProperties props, FhirClients clients, FhirServerToken token) {
    this.props = props;
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

  /** True once both subscriptions are registered. */
  public boolean active() {
    return active;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void start() {
    if (!props.monitor().enabled()) {
      log.info("monitor disabled (VITALS_MONITOR=false)");
      return;
    }
    Thread t =
        new Thread(
            () -> {
              Duration wait = Duration.ofSeconds(1);
              while (!active) {
                try {
                  register(VITALS, "Vitals monitor: new vital signs");
                  register(ALERTS, "Vitals monitor: alert acknowledgements");
                  active = true;
                  log.info("monitor subscriptions registered at {}", props.fhirUrl());
                } catch (RuntimeException e) {
                  log.warn(
                      "cannot register monitor subscriptions at {} ({}); retrying in {} s",
                      props.fhirUrl(),
                      e.toString(),
                      wait.toSeconds());
                  try {
                    Thread.sleep(wait.toMillis());
                  } catch (InterruptedException ie) {
                    return;
                  }
                  wait =
                      wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                          ? Duration.ofSeconds(30)
                          : wait.multipliedBy(2);
                }
              }
            },
            "monitor-subscriptions");
    t.setDaemon(true);
    t.start();
  }

  private void register(String criteria, String reason) {
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
    } else {
      fhir.create().resource(s).execute();
    }
  }
}
