package org.vitals.gateway.simulator;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Device simulator: N patients, each with a monitor (SpO2, pulse, heart and respiratory rate
 * replayed from the BIDMC numerics, temperature), a BP cuff, a glucose meter and optionally an ECG
 * node (MIT-BIH records resampled to 250 Hz), publishing wire format v1 over MQTT with QoS 1. It
 * creates the patients and device assignments on the FHIR server first. Scenario switches:
 * desaturation, tachycardia, hypotension, hypoglycaemia, device-off.
 */
public final class Simulator {
  /** What the simulator writes: its patients, their devices and assignments. */
  public static final String SCOPES =
      "system/Patient.cruds system/Device.cruds system/DeviceUseStatement.cruds";

  /** With a Synthea population also the people's conditions, medications and allergies. */
  public static final String POPULATION_SCOPES =
      SCOPES
          + " system/Condition.cruds system/MedicationRequest.cruds system/Medication.cruds"
          + " system/AllergyIntolerance.cruds";

  static final String PATIENT_SYSTEM = "urn:vitals:sid:sim-patient";
  static final String DEVICE_SYSTEM = "urn:vitals:sid:device-id";
  private static final String[] MITDB = {
    "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122", "124", "201",
    "203", "205", "207", "208", "209", "215", "220", "223", "230"
  };

  private Simulator() {}

  /** Parsed command-line options. */
  record Options(
      int patients,
      int seconds,
      String mqtt,
      String fhir,
      Path data,
      boolean ecg,
      String scenario,
      double scenarioFraction,
      int scenarioAfter,
      String runId,
      String gatewayId,
      boolean setup,
      int bpInterval,
      int glucoseInterval,
      int tempInterval,
      Path population) {}

  public static int run(String[] args) throws Exception {
    if (java.util.Arrays.asList(args).contains("--replay")) {
      return Replay.run(args); // a collector recording instead of simulated patients
    }
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("simulate: " + e.getMessage());
      System.err.println(
          "usage: simulate --patients N --seconds S --mqtt tcp://127.0.0.1:1883 [--fhir http://localhost:8080/fhir]"
              + " [--ecg] [--scenario desaturation|tachycardia|hypotension|hypoglycaemia|device-off] [--scenario-fraction 0.1]"
              + " [--scenario-after S] [--data ../shared/data] [--run-id ID] [--no-setup]"
              + " [--population SYNTHEA_FHIR_DIR]");
      System.err.println(Replay.USAGE);
      return 2;
    }
    long published = new Simulator.Run(o).execute();
    System.out.println("published " + published + " readings");
    return 0;
  }

  static Options parse(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String k = args[i];
      if (!k.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + k);
      }
      if (k.equals("--ecg") || k.equals("--no-setup")) {
        a.put(k, "true");
      } else if (i + 1 < args.length) {
        a.put(k, args[++i]);
      } else {
        throw new IllegalArgumentException(k + " needs a value");
      }
    }
    if (!a.containsKey("--patients") || !a.containsKey("--seconds") || !a.containsKey("--mqtt")) {
      throw new IllegalArgumentException("--patients, --seconds and --mqtt are required");
    }
    String data =
        a.getOrDefault(
            "--data",
            System.getenv("VITALS_SHARED_DATA") != null
                ? System.getenv("VITALS_SHARED_DATA")
                : System.getProperty("vitals.data.dir", "../shared/data"));
    String run = a.getOrDefault("--run-id", Long.toString(System.currentTimeMillis() / 1000, 36));
    return new Options(
        Integer.parseInt(a.get("--patients")),
        Integer.parseInt(a.get("--seconds")),
        a.get("--mqtt"),
        a.getOrDefault(
            "--fhir",
            System.getenv().getOrDefault("VITALS_FHIR_URL", "http://localhost:8080/fhir")),
        Path.of(data),
        a.containsKey("--ecg"),
        a.get("--scenario"),
        Double.parseDouble(a.getOrDefault("--scenario-fraction", "1.0")),
        Integer.parseInt(a.getOrDefault("--scenario-after", "0")),
        run,
        a.getOrDefault("--gateway-id", "sim-gw-" + run),
        !a.containsKey("--no-setup"),
        Integer.parseInt(a.getOrDefault("--bp-interval", "60")),
        Integer.parseInt(a.getOrDefault("--glucose-interval", "60")),
        Integer.parseInt(a.getOrDefault("--temp-interval", "30")),
        a.containsKey("--population") ? Path.of(a.get("--population")) : null);
  }

  /** One simulation run. */
  static final class Run {
    private final Options o;
    private final AckedPublisher publisher = new AckedPublisher(2000);
    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private Map<String, Long> seq = new HashMap<>();
    private long boot = 1;

    /** Device id to its Device and to its patient reference, as created by {@link #prepare}. */
    private final Map<String, String> deviceRefs = new HashMap<>();

    private final Map<String, String> patientRefs = new HashMap<>();

    /** Set while {@link #payloads} collects instead of publishing. */
    private List<String[]> captured;

    Run(Options o) {
      this.o = o;
    }

    private final List<BidmcNumerics> numerics = new ArrayList<>();
    private final List<MitBihRecord> ecg = new ArrayList<>();

    long execute() throws Exception {
      prepare();
      return publishAll();
    }

    /** Reads the data sets and creates the patients and devices (not part of the timed run). */
    void prepare() throws Exception {
      for (int r = 1; r <= 53 && numerics.size() < 10; r++) {
        try {
          numerics.add(BidmcNumerics.read(o.data().resolve("bidmc"), r));
        } catch (java.io.IOException e) {
          if (r == 1) {
            throw e;
          }
        }
      }
      if (o.ecg()) {
        for (int i = 0; i < Math.min(4, o.patients()); i++) {
          ecg.add(MitBihRecord.read(o.data().resolve("mitdb"), MITDB[i % MITDB.length]));
        }
      }
      if (o.setup()) {
        setUpPatients();
      }
    }

    /** Publishes for the configured seconds; returns the readings the broker acknowledged. */
    long publishAll() throws Exception {
      connect();
      long start = System.currentTimeMillis();
      int affected = (int) Math.ceil(o.patients() * o.scenarioFraction());
      for (int s = 0; s < o.seconds(); s++) {
        long due = start + s * 1000L;
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        long ts = System.currentTimeMillis();
        for (int p = 0; p < o.patients(); p++) {
          boolean inScenario = o.scenario() != null && p < affected && s >= o.scenarioAfter();
          if (inScenario && o.scenario().equals("device-off")) {
            continue;
          }
          publishVitals(
              p, s, ts, numerics.get(p % numerics.size()), inScenario ? o.scenario() : null);
          if (o.ecg()) {
            publishEcg(p, s, ts, ecg.get(p % ecg.size()));
          }
        }
        if (o.scenario() != null && o.scenario().equals("device-off") && s == o.scenarioAfter()) {
          for (int p = 0; p < affected; p++) {
            publishStatus(p, false);
          }
        }
      }
      publisher.drain(60);
      for (MqttAsyncClient c : clients) {
        c.disconnect().waitForCompletion(5000);
        c.close();
      }
      if (publisher.failed() > 0) {
        System.err.println(
            "simulate: " + publisher.failed() + " publishes were not acknowledged by the broker");
      }
      return publisher.acked();
    }

    private void setUpPatients() throws java.io.IOException {
      FhirContext ctx = FhirContext.forR4Cached();
      ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
      ctx.getRestfulClientFactory().setSocketTimeout(120_000);
      IGenericClient fhir = ctx.newRestfulGenericClient(o.fhir());
      List<SyntheaPopulation.Person> people =
          o.population() == null ? List.of() : SyntheaPopulation.load(o.population());
      if (!people.isEmpty()) {
        System.out.println(
            "simulate: "
                + Math.min(people.size(), o.patients())
                + " of "
                + o.patients()
                + " patients from the Synthea population in "
                + o.population());
      }
      fhir.registerInterceptor(
          new org.vitals.gateway.security.BearerTokenInterceptor(
              org.vitals.gateway.security.FhirAccess.fromEnvironment(
                  o.fhir(), people.isEmpty() ? SCOPES : POPULATION_SCOPES)));
      String[] given = {
        "Ada", "Ben", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas"
      };
      String[] family = {
        "Okafor", "Larsen", "Moreau", "Tanaka", "Silva", "Novak", "Kowalski", "Haddad"
      };
      // Synthea people carry dozens of conditions and medications each: smaller transactions.
      int perTransaction = people.isEmpty() ? 100 : 10;
      for (int from = 0; from < o.patients(); from += perTransaction) {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        // Which entry made which patient and device, to remember their references.
        Map<Integer, String> patientEntry = new HashMap<>();
        Map<Integer, String[]> deviceEntry = new HashMap<>();
        for (int p = from; p < Math.min(o.patients(), from + perTransaction); p++) {
          Patient pt;
          String fullUrl;
          if (p < people.size()) {
            SyntheaPopulation.Person person = people.get(p);
            pt = person.resource();
            fullUrl = person.patient().getFullUrl();
            for (Bundle.BundleEntryComponent e : person.rest()) {
              tx.addEntry()
                  .setFullUrl(e.getFullUrl())
                  .setResource(e.getResource())
                  .getRequest()
                  .setMethod(Bundle.HTTPVerb.POST)
                  .setUrl(e.getResource().fhirType());
            }
          } else {
            pt = new Patient();
            pt.addName().setFamily(family[p % family.length]).addGiven(given[p % given.length]);
            pt.setGender(
                p % 2 == 0
                    ? Enumerations.AdministrativeGender.FEMALE
                    : Enumerations.AdministrativeGender.MALE);
            pt.setBirthDateElement(
                new org.hl7.fhir.r4.model.DateType(
                    LocalDate.of(1940 + p % 60, 1 + p % 12, 1 + p % 28).toString()));
            fullUrl = "urn:uuid:" + java.util.UUID.randomUUID();
          }
          pt.getMeta()
              .addSecurity(
                  new Coding(
                      "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                      "HTEST",
                      "test health data"));
          pt.addIdentifier().setSystem(PATIENT_SYSTEM).setValue(o.runId() + "-" + p);
          patientEntry.put(tx.getEntry().size(), String.valueOf(p));
          tx.addEntry()
              .setFullUrl(fullUrl)
              .setResource(pt)
              .getRequest()
              .setMethod(Bundle.HTTPVerb.POST)
              .setUrl("Patient")
              .setIfNoneExist("identifier=" + PATIENT_SYSTEM + "|" + o.runId() + "-" + p);
          for (String kind : new String[] {"mon", "bp", "glu", "ecg"}) {
            Device d = new Device();
            String id = deviceId(p, kind);
            d.addIdentifier().setSystem(DEVICE_SYSTEM).setValue(id);
            d.setStatus(Device.FHIRDeviceStatus.ACTIVE);
            d.addDeviceName().setName(id).setType(Device.DeviceNameType.USERFRIENDLYNAME);
            d.setPatient(new Reference(fullUrl));
            deviceEntry.put(tx.getEntry().size(), new String[] {id, String.valueOf(p)});
            tx.addEntry()
                .setResource(d)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Device")
                .setIfNoneExist("identifier=" + DEVICE_SYSTEM + "|" + id);
          }
        }
        Bundle resp = fhir.transaction().withBundle(tx).execute();
        Map<String, String> patientOfIndex = new HashMap<>();
        patientEntry.forEach((i, p) -> patientOfIndex.put(p, location(resp.getEntry().get(i))));
        deviceEntry.forEach(
            (i, d) -> {
              deviceRefs.put(d[0], location(resp.getEntry().get(i)));
              patientRefs.put(d[0], patientOfIndex.get(d[1]));
            });
      }
    }

    private static String location(Bundle.BundleEntryComponent e) {
      return new org.hl7.fhir.r4.model.IdType(e.getResponse().getLocation())
          .toUnqualifiedVersionless()
          .getValue();
    }

    int patients() {
      return o.patients();
    }

    /** The Device a simulated device id was created as (after {@link #prepare}), or null. */
    String deviceReference(String deviceId) {
      return deviceRefs.get(deviceId);
    }

    /** The patient a simulated device was assigned to (after {@link #prepare}), or null. */
    String patientReference(String deviceId) {
      return patientRefs.get(deviceId);
    }

    /**
     * The vitals readings (topic, payload) that {@code seconds} of publishing would send, in the
     * order they would be sent, without publishing them: the same patients, devices, replayed
     * values and intervals, but boot counter {@code bootCounter} and sequence numbers of their own,
     * so that they are other readings than the ones published (for the server's own ingest of the
     * gateway's bundles in the benchmark).
     */
    List<String[]> payloads(int seconds, long bootCounter) {
      Map<String, Long> publishingSeq = seq;
      long publishingBoot = boot;
      captured = new ArrayList<>();
      seq = new HashMap<>();
      boot = bootCounter;
      try {
        long ts = System.currentTimeMillis() - seconds * 1000L;
        for (int s = 0; s < seconds; s++) {
          for (int p = 0; p < o.patients(); p++) {
            publishVitals(p, s, ts + s * 1000L, numerics.get(p % numerics.size()), null);
          }
        }
        return captured;
      } finally {
        captured = null;
        seq = publishingSeq;
        boot = publishingBoot;
      }
    }

    String deviceId(int p, String kind) {
      return "sim-" + o.runId() + "-p" + p + "-" + kind;
    }

    private void connect() throws MqttException {
      int n = Math.max(1, Math.min(8, o.patients() / 100 + 1));
      for (int i = 0; i < n; i++) {
        MqttAsyncClient c =
            new MqttAsyncClient(o.mqtt(), "sim-" + o.runId() + "-" + i, new MemoryPersistence());
        MqttConnectionOptions opts = new MqttConnectionOptions();
        opts.setCleanStart(true);
        opts.setAutomaticReconnect(true);
        opts.setKeepAliveInterval(30);
        c.connect(opts).waitForCompletion(10_000);
        clients.add(c);
      }
      for (int p = 0; p < o.patients(); p++) {
        publishStatus(p, true);
      }
    }

    private void publishStatus(int p, boolean online) {
      for (String kind : new String[] {"mon", "bp", "glu", "ecg"}) {
        String dev = deviceId(p, kind);
        String body =
            online
                ? "{\"v\":1,\"online\":true,\"boot\":" + boot + ",\"fw\":\"sim\"}"
                : "{\"v\":1,\"online\":false}";
        send("vitals/v1/" + o.gatewayId() + "/" + dev + "/status", body, p, true, false);
      }
    }

    private void publishVitals(int p, int s, long ts, BidmcNumerics n, String scenario) {
      int i = (s + p * 37) % n.spo2().length;
      double spo2 = n.spo2()[i], pulse = n.pulse()[i], hr = n.hr()[i], rr = n.resp()[i];
      if ("desaturation".equals(scenario)) {
        spo2 = Math.min(spo2, 84 + (s % 3));
      }
      if ("tachycardia".equals(scenario)) {
        hr = Math.max(hr, 130 + (s % 7));
        pulse = Math.max(pulse, 130 + (s % 7));
      }
      String mon = deviceId(p, "mon");
      numeric(p, mon, "spo2", spo2, "%", ts);
      numeric(p, mon, "pr", pulse, "/min", ts);
      numeric(p, mon, "hr", hr, "/min", ts);
      numeric(p, mon, "rr", rr, "/min", ts);
      if ((s + p) % o.tempInterval() == 0) {
        numeric(p, mon, "temp", 36.6 + ((p * 13 + s) % 9) / 10.0, "Cel", ts);
      }
      if ((s + p) % o.bpInterval() == 0) {
        boolean hypo = "hypotension".equals(scenario);
        int sys = hypo ? 78 + p % 6 : 112 + (p * 7) % 30;
        int dia = hypo ? 46 + p % 5 : 68 + (p * 3) % 18;
        int map = Math.round(dia + (sys - dia) / 3f);
        String dev = deviceId(p, "bp");
        long q = next(dev);
        send(
            topic(dev, "bp"),
            String.format(
                Locale.ROOT,
                "{\"v\":1,\"dev\":\"%s\",\"boot\":%d,\"seq\":%d,\"ts\":%d,\"metric\":\"bp\",\"unit\":\"mm[Hg]\",\"cmp\":{\"150021\":%d,\"150022\":%d,\"150023\":%d},\"pr\":{\"val\":%d,\"unit\":\"/min\"},\"st\":[\"valid\"]}",
                dev,
                boot,
                q,
                ts,
                sys,
                dia,
                map,
                (int) (Double.isNaN(pulse) ? 70 : pulse)),
            p,
            false,
            true);
      }
      if ((s + p) % o.glucoseInterval() == 0) {
        double gl = "hypoglycaemia".equals(scenario) ? 52 - (s % 5) : 95 + (p * 11 + s) % 60;
        numeric(p, deviceId(p, "glu"), "glucose", gl, "mg/dL", ts);
      }
    }

    private void numeric(int p, String dev, String metric, double value, String unit, long ts) {
      long q = next(dev);
      String val =
          Double.isNaN(value)
              ? "null"
              : String.format(
                  Locale.ROOT,
                  "%s",
                  value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value));
      String st = Double.isNaN(value) ? "[\"nan\"]" : "[\"valid\"]";
      send(
          topic(dev, metric),
          String.format(
              Locale.ROOT,
              "{\"v\":1,\"dev\":\"%s\",\"boot\":%d,\"seq\":%d,\"ts\":%d,\"tsq\":\"ntp\",\"metric\":\"%s\",\"val\":%s,\"unit\":\"%s\",\"st\":%s}",
              dev,
              boot,
              q,
              ts,
              metric,
              val,
              unit,
              st),
          p,
          false,
          true);
    }

    private void publishEcg(int p, int s, long ts, MitBihRecord r) {
      String dev = deviceId(p, "ecg");
      int[] samples = r.resampled(250, (s + p * 60) * 250, 250);
      StringBuilder data = new StringBuilder();
      for (int i = 0; i < samples.length; i++) {
        if (i > 0) {
          data.append(',');
        }
        data.append(samples[i] - r.baseline());
      }
      long q = next(dev);
      // 200 adu/mV -> factor 0.005 mV per count (MIT-BIH header gain).
      send(
          topic(dev, "ecg"),
          String.format(
              Locale.ROOT,
              "{\"v\":1,\"dev\":\"%s\",\"boot\":%d,\"seq\":%d,\"ts\":%d,\"metric\":\"ecg\",\"unit\":\"mV\",\"period\":4,\"origin\":0,\"factor\":%s,\"leads\":[{\"mdc\":131330,\"data\":[%s]}]}",
              dev,
              boot,
              q,
              (ts / 1000) * 1000,
              String.valueOf(1.0 / r.gain()),
              data),
          p,
          false,
          true);
    }

    private String topic(String dev, String metric) {
      return "vitals/v1/" + o.gatewayId() + "/" + dev + "/" + metric;
    }

    private long next(String dev) {
      return seq.merge(dev, 1L, Long::sum);
    }

    private void send(String topic, String body, int patient, boolean retained, boolean reading) {
      if (captured != null) {
        captured.add(new String[] {topic, body});
        return;
      }
      MqttMessage m = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
      m.setQos(1);
      m.setRetained(retained);
      publisher.publish(clients.get(patient % clients.size()), topic, m, reading);
    }
  }
}
