package org.vitals.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vitals.gateway.ingest.mqtt.MqttReadingsSubscriber;
import org.vitals.gateway.mapping.TemplateRegistry;
import org.vitals.gateway.writing.ReadingPipeline;

/** Periodic work: closing ECG strips whose window has passed and reloading changed templates. */
@Component
public class GatewayHousekeeping {
  private static final Logger log = LoggerFactory.getLogger(GatewayHousekeeping.class);
  private final ReadingPipeline pipeline;
  private final TemplateRegistry templates;
  private final MqttReadingsSubscriber route;

  public GatewayHousekeeping(
      ReadingPipeline pipeline, TemplateRegistry templates, MqttReadingsSubscriber route) {
    this.pipeline = pipeline;
    this.templates = templates;
    this.route = route;
  }

  @Scheduled(fixedDelay = 250)
  public void flushStrips() {
    pipeline.strips().flushExpired();
  }

  @Scheduled(fixedDelay = 2000)
  public void reloadTemplates() {
    try {
      if (templates.reloadIfChanged()) {
        route.subscribeNewDeviceTemplates();
      }
    } catch (Exception e) {
      log.error("Template reload failed; the previous templates stay in force: {}", e.getMessage());
    }
  }
}
