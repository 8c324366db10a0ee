package org.vitals.gateway.ingest.sensors;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vitals.gateway.wire.WireReadingParser;
import org.vitals.gateway.writing.ReadingPipeline;
import org.vitals.gateway.writing.Ticket;

/**
 * I²C sensors on a Raspberry Pi, started when {@code VITALS_I2C_SENSORS} names them ({@code
 * max30102}, {@code ads1115}); Pi4J picks the platform. Readings take the shared pipeline.
 */
@Configuration
public class SensorConfig {
  private static final Logger log = LoggerFactory.getLogger(SensorConfig.class);

  /** The running sensor pollers (none unless configured). */
  public record Sensors(
      Context pi4j, ScheduledExecutorService poller, ScheduledExecutorService sampler)
      implements AutoCloseable {
    @Override
    public void close() {
      if (sampler != null) {
        sampler.shutdownNow();
      }
      if (poller != null) {
        poller.shutdownNow();
      }
      if (pi4j != null) {
        pi4j.shutdown();
      }
    }
  }

  @Bean(destroyMethod = "close")
  Sensors sensors(
      ReadingPipeline pipeline,
      org.vitals.gateway.ingest.edge.EdgeConfig.EdgeUplink edge,
      @Value("${vitals.gateway.i2c.sensors:${VITALS_I2C_SENSORS:}}") String names,
      @Value("${vitals.gateway.i2c.bus:1}") int bus,
      @Value("${vitals.gateway.gateway-id:${VITALS_GATEWAY_ID:vitals-gateway}}") String gatewayId,
      @Value("${vitals.gateway.i2c.spo2-calibration:-45.060,30.354,94.845}") double[] cal,
      @Value("${vitals.gateway.i2c.swap-red-ir:false}") boolean swap,
      @Value("${vitals.gateway.i2c.ecg-rate:250}") double ecgRate,
      @Value("${vitals.gateway.i2c.ecg-gain:1100}") double ecgGain) {
    List<String> wanted =
        List.of(names.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (wanted.isEmpty()) {
      return new Sensors(null, null, null);
    }
    Context pi4j = Pi4J.newAutoContext();
    ScheduledExecutorService poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "i2c-sensors");
              t.setDaemon(true);
              return t;
            });
    long boot =
        Instant.now().getEpochSecond(); // differs after every restart: identities stay unique
    if (wanted.contains("max30102")) {
      Max30102 sensor =
          new Max30102(Pi4jRegisterDevice.open(pi4j, "max30102", bus, Max30102.ADDRESS));
      Max30102.Config base = Max30102.Config.reference();
      sensor.configure(
          new Max30102.Config(
              base.fifoConfig(),
              base.spo2Config(),
              base.redCurrent(),
              base.irCurrent(),
              base.pilot(),
              swap));
      String dev = gatewayId + "-max30102";
      PulseOximeterNode node =
          new PulseOximeterNode(
              sensor,
              new Oximetry(
                  new Oximetry.Calibration(cal[0], cal[1], cal[2]), sensor.config().sampleRate()),
              readings(gatewayId, dev, boot, edge, pipeline),
              ms -> {}, // each reading went out through readings(...)
              Clock.systemUTC(),
              8,
              4);
      // The FIFO holds 32 samples (1.28 s at 25/s): poll well within that.
      poller.scheduleWithFixedDelay(
          () -> {
            try {
              node.poll();
            } catch (RuntimeException e) {
              log.warn("MAX30102 read failed: {}", e.toString());
            }
          },
          250,
          250,
          TimeUnit.MILLISECONDS);
      log.info("MAX30102 on I2C bus {} as device {}", bus, dev);
    }
    if (wanted.contains("ads1115")) {
      Ads1115 adc = new Ads1115(Pi4jRegisterDevice.open(pi4j, "ads1115", bus, Ads1115.ADDRESS));
      adc.configure();
      String dev = gatewayId + "-ecg";
      EcgFrontEndNode ecg =
          new EcgFrontEndNode(
              adc,
              readings(gatewayId, dev, boot, edge, pipeline),
              ms -> {}, // each reading went out through readings(...)
              () -> false, // LO+/LO- on GPIO are not wired yet
              131330,
              ecgRate,
              ecgGain,
              (int) Math.round(ecgRate),
              Instant.now());
      ScheduledExecutorService sampler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "ads1115-ecg");
                t.setDaemon(true);
                t.setPriority(Thread.MAX_PRIORITY);
                return t;
              });
      sampler.scheduleAtFixedRate(
          () -> {
            try {
              ecg.sample();
            } catch (RuntimeException e) {
              log.warn("ADS1115 read failed: {}", e.toString());
            }
          },
          0,
          Math.round(1_000_000 / ecgRate),
          TimeUnit.MICROSECONDS);
      log.info("ADS1115 ECG on I2C bus {} at {} samples/s as device {}", bus, ecgRate, dev);
      return new Sensors(pi4j, poller, sampler);
    }
    return new Sensors(pi4j, poller, null);
  }

  /**
   * Each v1 reading goes to the uplink journal (edge mode) or into this gateway's own pipeline on
   * its native topic, exactly as if it had been published (so dead letters replay normally).
   */
  static SensorReadings readings(
      String gatewayId,
      String dev,
      long boot,
      org.vitals.gateway.ingest.edge.EdgeConfig.EdgeUplink edge,
      ReadingPipeline pipeline) {
    return new SensorReadings(
        gatewayId,
        dev,
        boot,
        new WireReadingParser(),
        edge.enabled()
            ? edge::forward
            : r ->
                pipeline.submit(
                    new Ticket(
                        "i2c",
                        "vitals/v1/" + gatewayId + "/" + dev + "/" + r.get("metric").asText(),
                        r.toString().getBytes(StandardCharsets.UTF_8),
                        Instant.now(),
                        () -> {})));
  }
}
