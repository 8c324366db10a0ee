package org.vitals.gateway;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.vitals.gateway.deadletter.DeadLetterReplay;
import org.vitals.gateway.deadletter.DeadLetterStore;
import org.vitals.gateway.identity.DeviceDirectory;
import org.vitals.gateway.ingest.mqtt.BrokerAddress;
import org.vitals.gateway.ingest.mqtt.DeviceStatusBoard;
import org.vitals.gateway.ingest.mqtt.EmbeddedBroker;
import org.vitals.gateway.ingest.mqtt.MqttConnectionSettings;
import org.vitals.gateway.ingest.mqtt.MqttReadingsSubscriber;
import org.vitals.gateway.mapping.TemplateRegistry;
import org.vitals.gateway.security.AccessTokens;
import org.vitals.gateway.security.BearerTokenInterceptor;
import org.vitals.gateway.security.FhirAccess;
import org.vitals.gateway.summary.MinuteSummaries;
import org.vitals.gateway.summary.NumericsSettings;
import org.vitals.gateway.summary.SummaryJournal;
import org.vitals.gateway.wire.WireReadingParser;
import org.vitals.gateway.writing.FhirBatchWriter;
import org.vitals.gateway.writing.GatewayMetrics;
import org.vitals.gateway.writing.ReadingBatcher;
import org.vitals.gateway.writing.ReadingPipeline;

/** Wires the gateway: FHIR client, broker, templates, dead letters, pipeline and MQTT route. */
@Configuration
@EnableScheduling
@EnableConfigurationProperties({
  GatewayProperties.class,
  MqttConnectionSettings.class,
  NumericsSettings.class
})
public class GatewayConfig {

  @Bean
  FhirContext fhirContext() {
    FhirContext ctx = FhirContext.forR4Cached();
    ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    ctx.getRestfulClientFactory().setConnectTimeout(3_000);
    ctx.getRestfulClientFactory().setSocketTimeout(60_000);
    ctx.getRestfulClientFactory().setPoolMaxTotal(20);
    ctx.getRestfulClientFactory().setPoolMaxPerRoute(20);
    // The gateway's resources never hold other resources as objects (references are strings), so
    // nothing is ever auto-contained; without this, encoding a transaction walked every element of
    // its 200 Observations looking for such references (a tenth of the writer's time).
    ctx.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
    return ctx;
  }

  @Bean
  AccessTokens accessTokens(GatewayProperties props) {
    return FhirAccess.tokens(props);
  }

  @Bean
  IGenericClient fhirClient(FhirContext ctx, GatewayProperties props, AccessTokens tokens) {
    IGenericClient client = ctx.newRestfulGenericClient(props.fhirUrl());
    client.registerInterceptor(new BearerTokenInterceptor(tokens));
    return client;
  }

  @Bean(destroyMethod = "close")
  EmbeddedBrokerHolder embeddedBroker(GatewayProperties props) throws IOException {
    return new EmbeddedBrokerHolder(
        props.embeddedBroker()
            ? new EmbeddedBroker(
                props.mqttEmbeddedPort(), props.dataDir().resolve("device-gateway/broker"))
            : null);
  }

  @Bean
  BrokerAddress brokerAddress(GatewayProperties props, EmbeddedBrokerHolder embedded) {
    return props.embeddedBroker()
        ? new BrokerAddress(embedded.broker().url(), true)
        : new BrokerAddress(props.mqttUrl(), false);
  }

  @Bean
  TemplateRegistry templateRegistry(GatewayProperties props) {
    return new TemplateRegistry(props.templateDir());
  }

  @Bean
  DeadLetterStore deadLetterStore(JdbcTemplate jdbc) {
    return new DeadLetterStore(jdbc);
  }

  @Bean
  GatewayMetrics gatewayMetrics(MeterRegistry registry) {
    return new GatewayMetrics(registry);
  }

  @Bean
  DeviceDirectory deviceDirectory(
      IGenericClient fhir, AccessTokens tokens, MeterRegistry registry) {
    DeviceDirectory d = new DeviceDirectory(fhir, () -> tokens.reaches("DeviceUseStatement"));
    io.micrometer.core.instrument.FunctionCounter.builder(
            "vitals.gateway.device.change.checks", d, DeviceDirectory::changeChecks)
        .description("device-change checks asked of the FHIR server (decision 0213)")
        .register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "vitals.gateway.device.searches", d, DeviceDirectory::searches)
        .description("device searches (devices not cached, or after a change)")
        .register(registry);
    return d;
  }

  @Bean
  ReadingPipeline readingPipeline(
      GatewayProperties props,
      TemplateRegistry templates,
      DeadLetterStore store,
      GatewayMetrics metrics,
      IGenericClient fhir,
      DeviceDirectory directory) {
    return new ReadingPipeline(
        new WireReadingParser(),
        templates::current,
        store,
        metrics,
        deadLetters ->
            new ReadingBatcher(
                new FhirBatchWriter(
                    fhir,
                    directory,
                    templates::current,
                    deadLetters,
                    metrics,
                    props.retryMaxBackoff()),
                props.batchSize(),
                props.batchWait(),
                props.writers()),
        props.ecgStripSeconds());
  }

  /** Minute summaries and the numerics storage policy (decision 0209). */
  @Bean(destroyMethod = "close")
  MinuteSummaries minuteSummaries(
      GatewayProperties props,
      NumericsSettings numerics,
      ReadingPipeline pipeline,
      TemplateRegistry templates,
      DeviceDirectory directory,
      MeterRegistry registry) {
    MinuteSummaries summaries =
        new MinuteSummaries(
            numerics,
            new SummaryJournal(props.dataDir().resolve("device-gateway/summaries"), 50),
            directory,
            templates::current,
            pipeline.batcher().writer()::writePrepared,
            pipeline::storeAndWait,
            registry,
            java.time.Clock.systemUTC());
    pipeline.useSummaries(summaries);
    io.micrometer.core.instrument.Gauge.builder(
            "vitals.gateway.summary.open", summaries, MinuteSummaries::openReadings)
        .description("readings journaled in minutes not yet summarised")
        .register(registry);
    return summaries;
  }

  /** Readings inside the gateway not yet written: queued, in a transaction, or in an open strip. */
  @Bean
  io.micrometer.core.instrument.Gauge pendingReadings(
      MeterRegistry registry, ReadingPipeline pipeline) {
    return io.micrometer.core.instrument.Gauge.builder(
            "vitals.gateway.pending",
            pipeline,
            p -> p.batcher().pending() + p.strips().pendingChunks())
        .register(registry);
  }

  @Bean
  DeadLetterReplay deadLetterReplay(DeadLetterStore store, ReadingPipeline pipeline) {
    return new DeadLetterReplay(store, pipeline);
  }

  @Bean
  DeviceStatusBoard deviceStatusBoard() {
    return new DeviceStatusBoard();
  }

  @Bean
  MqttReadingsSubscriber mqttReadingsSubscriber(
      MinuteSummaries summaries, // in place before the first message
      BrokerAddress broker,
      GatewayProperties props,
      MqttConnectionSettings connection,
      ReadingPipeline pipeline,
      TemplateRegistry templates,
      DeviceStatusBoard board) {
    return new MqttReadingsSubscriber(
        broker,
        broker.embedded() ? MqttConnectionSettings.NONE : connection,
        props.mqttClientId(),
        props.mqttTopic(),
        props.receiveMaximum(),
        pipeline,
        templates,
        board);
  }

  /** Holds the embedded broker, or nothing when an external broker is configured. */
  public record EmbeddedBrokerHolder(EmbeddedBroker broker) implements AutoCloseable {
    @Override
    public void close() {
      if (broker != null) {
        broker.close();
      }
    }
  }
}
