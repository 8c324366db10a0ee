package org.vitals.cds.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.vitals.cds.auth.CdsJwtVerifier;
import org.vitals.cds.auth.TrustedIssuers;
import org.vitals.cds.config.CdsProperties;
import org.vitals.cds.fhir.FhirClients;
import org.vitals.cds.fhir.PatientRecordLoader;
import org.vitals.cds.hooks.CdsServicesController;
import org.vitals.cds.hooks.DecisionSupport;

/**
 * CPU time and allocation of one {@code patient-view} call with the benchmark's full prefetch, by
 * phase, in one thread, without HTTP (not a test). Thread CPU time does not depend on what else
 * runs on the machine, so this can be measured on a shared machine at low priority; the wall-clock
 * latency under load is {@link PatientViewLoad}'s job.
 *
 * <pre>
 *   PatientViewCost [warm-up calls] [measured calls]     (default 300, 200)
 * </pre>
 */
public final class PatientViewCost {

  private PatientViewCost() {}

  public static void main(String[] args) throws Exception {
    int warm = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path dir = Files.createTempDirectory("pv-cost");
    ECKey key = new ECKeyGenerator(Curve.P_384).keyID("bench").generate();
    Files.writeString(dir.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
    String url = "http://127.0.0.1:8082/cds-services/vitals-ai";
    CdsJwtVerifier verifier =
        new CdsJwtVerifier(
            TrustedIssuers.parse(PatientViewLoad.ISSUER + "=" + dir.resolve("jwks.json").toUri()));
    ObjectMapper json = new ObjectMapper();
    byte[] body = PatientViewLoad.requestBody().getBytes(StandardCharsets.UTF_8);
    try (DecisionSupport support = new DecisionSupport()) {
      CdsServicesController controller = controller(dir, support);
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long tid = Thread.currentThread().getId();
      String[] names = {"JWT ES384 verify", "read body, load, rules, cards", "JSON write"};
      long[] cpu = new long[names.length];
      long[] bytes = new long[names.length];
      long responseBytes = 0;
      for (int i = 0; i < warm + runs; i++) {
        String token = PatientViewLoad.token(key, url);
        long[] c = new long[names.length + 1];
        long[] a = new long[names.length + 1];
        c[0] = threads.getCurrentThreadCpuTime();
        a[0] = threads.getThreadAllocatedBytes(tid);
        verifier.verify(token, url);
        c[1] = threads.getCurrentThreadCpuTime();
        a[1] = threads.getThreadAllocatedBytes(tid);
        Object response = controller.answer("vitals-ai", body, "http://127.0.0.1:8082").getBody();
        c[2] = threads.getCurrentThreadCpuTime();
        a[2] = threads.getThreadAllocatedBytes(tid);
        byte[] out = json.writeValueAsBytes(response);
        c[3] = threads.getCurrentThreadCpuTime();
        a[3] = threads.getThreadAllocatedBytes(tid);
        if (i >= warm) {
          for (int p = 0; p < names.length; p++) {
            cpu[p] += c[p + 1] - c[p];
            bytes[p] += a[p + 1] - a[p];
          }
          responseBytes += out.length;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "patient-view, %d kB request, %d kB response; mean of %d calls after %d warm-up:%n",
          body.length / 1024,
          responseBytes / runs / 1024,
          runs,
          warm);
      long totalCpu = 0;
      long totalBytes = 0;
      for (int p = 0; p < names.length; p++) {
        System.out.printf(
            Locale.ROOT,
            "  %-28s %7.2f ms CPU %8.1f MB allocated%n",
            names[p],
            cpu[p] / 1e6 / runs,
            bytes[p] / 1048576.0 / runs);
        totalCpu += cpu[p];
        totalBytes += bytes[p];
      }
      System.out.printf(
          Locale.ROOT,
          "  %-28s %7.2f ms CPU %8.1f MB allocated%n",
          "total",
          totalCpu / 1e6 / runs,
          totalBytes / 1048576.0 / runs);
    }
  }

  /** The service's controller as the application wires it, without Spring (no FHIR server). */
  public static CdsServicesController controller(Path dataDir, DecisionSupport support) {
    FhirClients clients = new FhirClients();
    CdsProperties props =
        new CdsProperties(
            "http://127.0.0.1:1/fhir",
            null,
            "on",
            "",
            "*",
            "http://localhost:8080/apps/doctor/",
            dataDir.toString(),
            null,
            null,
            null,
            null);
    return new CdsServicesController(support, new PatientRecordLoader(clients), clients, props);
  }
}
