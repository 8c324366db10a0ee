package org.vitals.gateway;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.vitals.gateway.simulator.Simulator;

/**
 * The device gateway: MQTT readings become FHIR Observations. {@code java -jar device-gateway.jar
 * simulate ...} runs the device simulator instead (scripts/simulate).
 */
@SpringBootApplication
public class GatewayApplication {
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("simulate")) {
      System.exit(Simulator.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals("benchmark")) {
      System.exit(
          org.vitals.gateway.simulator.GatewayBenchmark.run(
              Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals("collect")) {
      System.exit(
          org.vitals.gateway.collector.Collector.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals("export-csv")) {
      System.exit(
          org.vitals.gateway.collector.VitalsCsvExport.run(
              Arrays.copyOfRange(args, 1, args.length)));
    }
    SpringApplication.run(GatewayApplication.class, args);
  }
}
