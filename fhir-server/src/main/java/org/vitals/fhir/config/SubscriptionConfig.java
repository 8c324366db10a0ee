package org.vitals.fhir.config;

import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.config.WebsocketDispatcherConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import ca.uhn.fhir.jpa.subscription.submit.interceptor.SubscriptionMatcherInterceptor;
import ca.uhn.fhir.jpa.subscription.submit.interceptor.SynchronousSubscriptionMatcherInterceptor;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.web.socket.config.annotation.EnableWebSocket;

/**
 * FHIR Subscriptions: rest-hook and websocket delivery of new resources (for example a patient's
 * new Observations), matched in memory on write. Websocket clients connect to {@code
 * ws://host:port/websocket} and bind a Subscription id. Delivery runs in this process: in a
 * scaled-out deployment exactly one replica delivers (docs/architecture.md); {@code
 * VITALS_SUBSCRIPTIONS=off} leaves this whole configuration out.
 */
@Configuration
@ConditionalOnProperty(
    prefix = "vitals",
    name = "subscriptions",
    havingValue = "deliver",
    matchIfMissing = true)
@EnableWebSocket
@Import({
  SubscriptionSubmitterConfig.class,
  SubscriptionProcessorConfig.class,
  WebsocketDispatcherConfig.class,
  // Without it R4 topic-based (Backport IG) subscriptions never fire (starter #964).
  SubscriptionTopicConfig.class
})
public class SubscriptionConfig {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionConfig.class);

  /**
   * Hands each written resource, with its body, to the matcher right after its transaction commits.
   * HAPI's default instead inserts a row per write into HFJ_RESOURCE_MODIFIED, and a scheduler
   * polls that table every few seconds, reads every resource back from the database (once per
   * listener) and deletes the row: about a third of the server's CPU per Observation in our ingest
   * profile, and seconds of delivery delay where alerts need under one. The price: a notification
   * whose process dies between commit and matching is not retried; subscribers that must not miss
   * one catch up with a {@code _lastUpdated} search (decision 0008).
   */
  @Bean
  @Primary
  public SubscriptionMatcherInterceptor afterCommitSubscriptionMatcherInterceptor() {
    return new SynchronousSubscriptionMatcherInterceptor();
  }

  /** E-mail delivery is not offered; HAPI's processor still wants a sender bean. */
  @Bean
  public IEmailSender emailSender() {
    return details -> log.warn("E-mail subscription delivery is not supported; message dropped");
  }
}
