package org.vitals.gateway.ingest.ble;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vitals.gateway.wire.WireReadingParser;
import org.vitals.gateway.writing.ReadingPipeline;

/** Registers the Bluetooth GATT decoder for {@code vitals/v1/+/+/gatt} with the pipeline. */
@Configuration
public class BleConfig {
  @Bean
  GattReadingDecoder gattReadingDecoder(ReadingPipeline pipeline) {
    GattReadingDecoder d = new GattReadingDecoder(new WireReadingParser());
    pipeline.addDecoder(d);
    return d;
  }
}
