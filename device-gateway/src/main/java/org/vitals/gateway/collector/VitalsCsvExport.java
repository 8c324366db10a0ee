package org.vitals.gateway.collector;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Type;
import org.vitals.gateway.security.BearerTokenInterceptor;
import org.vitals.gateway.security.FhirAccess;

/**
 * {@code scripts/export-csv}: patients' vitals for a time range out of any FHIR R4 server as CSV,
 * one row per value (a blood pressure's systolic, diastolic and mean are rows of their own, with
 * the panel's code in {@code component_of}), paging through the search Bundle's {@code next} links.
 * Signs in like the gateway's own tools ({@link FhirAccess#fromEnvironment}).
 */
public final class VitalsCsvExport {
  public static final String SCOPES = "system/Observation.rs system/Device.rs";
  public static final String HEADER =
      "patient,time,code,display,value,unit,component_of,device,observation";
  static final String LOINC = "http://loinc.org";
  static final String DEVICE_SYSTEM = "urn:vitals:sid:device-id";
  static final String USAGE =
      "usage: export-csv --from 2026-11-27T00:00:00Z [--to ISO-8601] [--fhir URL]"
          + " [--patient Patient/ID]... [--category vital-signs|any] [--out FILE] [--page-size 500]";

  /** Parsed command-line options. */
  public record Options(
      String fhir,
      Instant from,
      Instant to,
      List<String> patients,
      String category,
      Path out,
      int pageSize) {}

  /** What an export did. */
  public record Result(long rows, long observations, int pages, long waveformsLeftOut) {}

  private VitalsCsvExport() {}

  public static int run(String[] args) throws IOException {
    Collector.quietLogging(ch.qos.logback.classic.Level.WARN);
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("export-csv: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    FhirContext ctx = FhirContext.forR4Cached();
    ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    ctx.getRestfulClientFactory().setSocketTimeout(120_000);
    IGenericClient fhir = ctx.newRestfulGenericClient(o.fhir());
    fhir.registerInterceptor(
        new BearerTokenInterceptor(FhirAccess.fromEnvironment(o.fhir(), SCOPES)));
    Result r;
    try {
      if (o.out() == null) {
        Writer w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        r = export(fhir, o, w);
        w.flush();
      } else {
        try (Writer w = Files.newBufferedWriter(o.out(), StandardCharsets.UTF_8)) {
          r = export(fhir, o, w);
        }
      }
    } catch (RuntimeException e) {
      // HAPI's client errors (server down, 401/403, bad search) and token errors
      System.err.println("export-csv: reading " + o.fhir() + " failed: " + e.getMessage());
      return 1;
    }
    System.err.println(
        "export-csv: "
            + r.rows()
            + " rows from "
            + r.observations()
            + " Observations ("
            + r.pages()
            + " pages)"
            + (r.waveformsLeftOut() > 0
                ? "; " + r.waveformsLeftOut() + " waveform Observations left out"
                : "")
            + (o.out() == null ? "" : " to " + o.out()));
    return 0;
  }

  /** The search, page by page, into {@code w}. */
  public static Result export(IGenericClient fhir, Options o, Writer w) throws IOException {
    w.write(HEADER + "\n");
    Bundle page = fhir.search().byUrl(searchUrl(o)).returnBundle(Bundle.class).execute();
    long rows = 0;
    long observations = 0;
    long waveforms = 0;
    int pages = 0;
    while (page != null) {
      pages++;
      Map<String, String> devices = new HashMap<>();
      for (Bundle.BundleEntryComponent e : page.getEntry()) {
        if (e.getResource() instanceof Device d) {
          devices.put("Device/" + d.getIdElement().getIdPart(), deviceName(d));
        }
      }
      for (Bundle.BundleEntryComponent e : page.getEntry()) {
        if (e.getResource() instanceof Observation obs) {
          observations++;
          List<String[]> r = rows(obs, devices);
          if (r.isEmpty() && obs.getValue() instanceof org.hl7.fhir.r4.model.SampledData) {
            waveforms++;
          }
          for (String[] row : r) {
            w.write(csvLine(row));
            rows++;
          }
        }
      }
      page = page.getLink(Bundle.LINK_NEXT) != null ? fhir.loadPage().next(page).execute() : null;
    }
    return new Result(rows, observations, pages, waveforms);
  }

  static String searchUrl(Options o) {
    StringBuilder q = new StringBuilder("Observation?");
    q.append("date=ge").append(enc(o.from().toString()));
    q.append("&date=lt").append(enc(o.to().toString()));
    if (!o.category().equals("any")) {
      q.append("&category=").append(enc(o.category()));
    }
    if (!o.patients().isEmpty()) {
      q.append("&subject=").append(enc(String.join(",", o.patients())));
    }
    q.append("&_include=Observation:device&_sort=date&_count=").append(o.pageSize());
    return q.toString();
  }

  /** The CSV rows of one Observation: its own value, then one per component. */
  static List<String[]> rows(Observation obs, Map<String, String> devices) {
    List<String[]> rows = new ArrayList<>();
    String patient = obs.getSubject().getReference();
    String time =
        obs.hasEffectiveDateTimeType()
            ? obs.getEffectiveDateTimeType().getValueAsString()
            : obs.hasEffectivePeriod()
                ? obs.getEffectivePeriod().getStartElement().getValueAsString()
                : obs.hasEffectiveInstantType()
                    ? obs.getEffectiveInstantType().getValueAsString()
                    : "";
    String device = obs.hasDevice() ? obs.getDevice().getReference() : "";
    device = devices.getOrDefault(device, device);
    String id = "Observation/" + obs.getIdElement().getIdPart();
    String[] code = code(obs.getCode());
    if (obs.hasValue() && !(obs.getValue() instanceof org.hl7.fhir.r4.model.SampledData)) {
      String[] v = value(obs.getValue());
      rows.add(new String[] {patient, time, code[0], code[1], v[0], v[1], "", device, id});
    }
    for (Observation.ObservationComponentComponent c : obs.getComponent()) {
      if (!c.hasValue() || c.getValue() instanceof org.hl7.fhir.r4.model.SampledData) {
        continue;
      }
      String[] cc = code(c.getCode());
      String[] v = value(c.getValue());
      rows.add(new String[] {patient, time, cc[0], cc[1], v[0], v[1], code[0], device, id});
    }
    return rows;
  }

  /** The LOINC code and display when there is one, else the first coding as system|code. */
  static String[] code(CodeableConcept cc) {
    for (Coding c : cc.getCoding()) {
      if (LOINC.equals(c.getSystem())) {
        return new String[] {c.getCode(), c.hasDisplay() ? c.getDisplay() : cc.getText()};
      }
    }
    if (cc.hasCoding()) {
      Coding c = cc.getCodingFirstRep();
      return new String[] {
        c.getSystem() + "|" + c.getCode(), c.hasDisplay() ? c.getDisplay() : cc.getText()
      };
    }
    return new String[] {"", cc.getText()};
  }

  static String[] value(Type v) {
    if (v instanceof Quantity q) {
      return new String[] {
        q.hasValue() ? q.getValue().toPlainString() : "", q.hasCode() ? q.getCode() : q.getUnit()
      };
    }
    if (v instanceof CodeableConcept cc) {
      return new String[] {code(cc)[0], ""};
    }
    return new String[] {v.primitiveValue() == null ? "" : v.primitiveValue(), ""};
  }

  private static String deviceName(Device d) {
    for (Identifier i : d.getIdentifier()) {
      if (DEVICE_SYSTEM.equals(i.getSystem())) {
        return i.getValue();
      }
    }
    return "Device/" + d.getIdElement().getIdPart();
  }

  static String csvLine(String[] fields) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      String f = fields[i] == null ? "" : fields[i];
      if (f.indexOf(',') >= 0
          || f.indexOf('"') >= 0
          || f.indexOf('\n') >= 0
          || f.indexOf('\r') >= 0) {
        sb.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(f);
      }
    }
    return sb.append('\n').toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static Options parse(String[] args) {
    String fhir = System.getenv().getOrDefault("VITALS_FHIR_URL", "http://localhost:8080/fhir");
    Instant from = null;
    Instant to = Instant.now();
    List<String> patients = new ArrayList<>();
    String category = "vital-signs";
    Path out = null;
    int pageSize = 500;
    for (int i = 0; i < args.length; i++) {
      String k = args[i];
      if (k.equals("--help") || k.equals("-h")) {
        throw new IllegalArgumentException("patients' vitals out of the FHIR server as CSV");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(k + " needs a value");
      }
      String v = args[++i];
      switch (k) {
        case "--fhir" -> fhir = v;
        case "--from" -> from = instant(k, v);
        case "--to" -> to = instant(k, v);
        case "--patient" -> patients.add(v.contains("/") ? v : "Patient/" + v);
        case "--category" -> category = v;
        case "--out" -> out = Path.of(v);
        case "--page-size" -> {
          try {
            pageSize = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            pageSize = 0;
          }
          if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("--page-size must be 1 to 1000, not '" + v + "'");
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + k);
      }
    }
    if (from == null) {
      throw new IllegalArgumentException(
          "--from is required (ISO-8601, e.g. 2026-11-27T00:00:00Z)");
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
    }
    return new Options(fhir, from, to, List.copyOf(patients), category, out, pageSize);
  }

  private static Instant instant(String k, String v) {
    try {
      return java.time.OffsetDateTime.parse(v).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      try {
        return java.time.LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      } catch (java.time.format.DateTimeParseException e2) {
        throw new IllegalArgumentException(
            k + " '" + v + "' is not ISO-8601 (2026-11-27T08:00:00Z, or a date 2026-11-27 in UTC)");
      }
    }
  }
}
