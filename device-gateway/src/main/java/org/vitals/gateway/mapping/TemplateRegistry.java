package org.vitals.gateway.mapping;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads mapping templates: the built-in ones from the classpath, then every {@code *.yaml}, {@code
 * *.yml} and {@code *.json} file of the template directory (a file's observation template replaces
 * the built-in one of the same metric). {@link #reloadIfChanged()} picks up edits without a restart
 * or rebuild; a file that does not parse keeps the previous set in force.
 */
public class TemplateRegistry {
  private static final Logger log = LoggerFactory.getLogger(TemplateRegistry.class);
  private static final String BUILT_IN = "templates/observations.yaml";

  private final Path directory;
  private final ObjectMapper yaml =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private volatile TemplateSet current;
  private volatile String fingerprint = "";

  public TemplateRegistry(Path directory) {
    this.directory = directory;
    this.current = load();
    this.fingerprint = fingerprint();
  }

  public TemplateSet current() {
    return current;
  }

  public Path directory() {
    return directory;
  }

  /** Reloads when a file in the directory was added, removed or changed; true if reloaded. */
  public synchronized boolean reloadIfChanged() {
    String now = fingerprint();
    if (now.equals(fingerprint)) {
      return false;
    }
    reload();
    fingerprint = now;
    return true;
  }

  /** Reloads now; throws (and keeps the old set) when a file is invalid. */
  public synchronized TemplateSet reload() {
    TemplateSet next = load();
    current = next;
    fingerprint = fingerprint();
    log.info(
        "Mapping templates loaded: {} observation, {} device, from {}",
        next.observations().size(),
        next.devices().size(),
        next.sources());
    return next;
  }

  private TemplateSet load() {
    Map<String, ObservationTemplate> observations = new LinkedHashMap<>();
    List<DeviceTemplate> devices = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException(
            "built-in templates " + BUILT_IN + " missing from the classpath");
      }
      add(yaml.readValue(in, TemplateFile.class), observations, devices);
      sources.add("classpath:" + BUILT_IN);
    } catch (IOException e) {
      throw new IllegalStateException("built-in templates do not parse: " + e.getMessage(), e);
    }
    for (Path file : files()) {
      try {
        ObjectMapper reader = file.toString().endsWith(".json") ? json : yaml;
        add(reader.readValue(file.toFile(), TemplateFile.class), observations, devices);
        sources.add(file.toString());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "template file " + file + " does not parse: " + e.getMessage(), e);
      }
    }
    for (DeviceTemplate d : devices) {
      if (d.name() == null
          || d.topic() == null
          || d.deviceId() == null
          || d.seq() == null
          || d.values() == null) {
        throw new IllegalArgumentException(
            "device template " + d.name() + " needs name, topic, deviceId, seq and values");
      }
    }
    return new TemplateSet(Map.copyOf(observations), List.copyOf(devices), List.copyOf(sources));
  }

  private static void add(
      TemplateFile f, Map<String, ObservationTemplate> observations, List<DeviceTemplate> devices) {
    for (ObservationTemplate t : f.observations()) {
      if (t.metric() == null) {
        throw new IllegalArgumentException("observation template without 'metric'");
      }
      observations.put(t.metric(), t);
    }
    devices.addAll(f.devices());
  }

  private List<Path> files() {
    if (directory == null || !Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(directory)) {
      return s.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list template directory " + directory, e);
    }
  }

  private String fingerprint() {
    StringBuilder sb = new StringBuilder();
    for (Path p : files()) {
      try {
        sb.append(p)
            .append('@')
            .append(Files.getLastModifiedTime(p).toMillis())
            .append(':')
            .append(Files.size(p))
            .append(';');
      } catch (IOException e) {
        sb.append(p).append("@?;");
      }
    }
    return sb.toString();
  }
}
