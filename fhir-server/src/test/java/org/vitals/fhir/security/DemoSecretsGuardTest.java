package org.vitals.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;
import org.vitals.fhir.VitalsFhirServerApplication;

/**
 * Outside the demo profile the FHIR server does not start on a default or demo secret, and says
 * which setting to give; the demo profile (the embedded default) starts as before.
 */
class DemoSecretsGuardTest {

  @TempDir Path dir;

  @Test
  void theServerRefusesToStartInProductionOnTheEmbeddedDemoRealm() {
    assertThatThrownBy(
            () ->
                startInProduction(
                    "--vitals.db-url=jdbc:postgresql://127.0.0.1:5432/vitals",
                    "--vitals.db-password=postgres"))
        .isInstanceOfSatisfying(
            DemoSecretsGuard.DefaultSecretRefusedException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(p -> assertThat(p).startsWith("VITALS_SECURITY_REALM is not set"))
                    .anySatisfy(
                        p -> assertThat(p).startsWith("VITALS_SECURITY_SIGNING_KEY is not set"))
                    .anySatisfy(
                        p -> assertThat(p).startsWith("VITALS_DB_PASSWORD is a default password"))
                    .hasSize(3));
    // Refused before any bean: no demo keys were made in the data folder.
    assertThat(dir.resolve("security")).doesNotExist();
  }

  @Test
  void productionRefusesAKeylessCdsRelayAndAPlainHttpIdentityProviderAtStart() {
    assertThatThrownBy(
            () ->
                startInProduction(
                    "--VITALS_CDS_URL=https://cds.example.org",
                    "--VITALS_OIDC_ISSUER=http://idp.example.org",
                    "--VITALS_OIDC_CLIENT_ID=vitals"))
        .isInstanceOfSatisfying(
            DemoSecretsGuard.DefaultSecretRefusedException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(p -> assertThat(p).startsWith("VITALS_CDS_RELAY_KEY is not set"))
                    .anySatisfy(p -> assertThat(p).startsWith("VITALS_PUBLIC_URL is not set"))
                    .anySatisfy(p -> assertThat(p).startsWith("VITALS_OIDC_ISSUER is plain http"))
                    .anySatisfy(
                        p -> assertThat(p).startsWith("VITALS_OIDC_CLIENT_SECRET is not set")));
    assertThat(dir.resolve("security")).doesNotExist();
  }

  /** Starts (and closes) the server with VITALS_PROFILE=production, a fresh data folder, args. */
  void startInProduction(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--vitals.profile=production";
    all[1] = "--vitals.data-dir=" + dir;
    System.arraycopy(args, 0, all, 2, args.length);
    new SpringApplicationBuilder(VitalsFhirServerApplication.class)
        .web(WebApplicationType.NONE)
        .run(all)
        .close();
  }

  @Test
  void theFailureReportNamesEverySettingAndTheWayOut() {
    var analysis =
        new DemoSecretsGuard.Analyzer()
            .analyze(new DemoSecretsGuard().refusal(new DemoSecretsGuard().problems(production())));
    assertThat(analysis.getDescription())
        .contains("VITALS_SECURITY_REALM")
        .contains("VITALS_SECURITY_SIGNING_KEY");
    assertThat(analysis.getAction()).contains("VITALS_PROFILE=demo");
  }

  @Test
  void theDemoProfileIsTheDefaultAndRefusesNothing() {
    assertThat(new DemoSecretsGuard().problems(new MockEnvironment())).isEmpty();
    assertThat(
            new DemoSecretsGuard()
                .problems(
                    new MockEnvironment()
                        .withProperty("vitals.profile", "demo")
                        .withProperty("vitals.security.enforcement", "off")))
        .isEmpty();
  }

  @Test
  void anUnknownProfileIsAnError() {
    assertThat(
            new DemoSecretsGuard()
                .problems(new MockEnvironment().withProperty("vitals.profile", "prod")))
        .containsExactly("VITALS_PROFILE is 'prod': it must be demo or production");
  }

  @Test
  void securityOffAndAnEmptyDatabasePasswordAreRefused() {
    assertThat(
            new DemoSecretsGuard()
                .problems(
                    production()
                        .withProperty("vitals.security.enforcement", "off")
                        .withProperty("vitals.db-url", "jdbc:postgresql://db/vitals")
                        .withProperty("vitals.db-password", "")))
        .anySatisfy(p -> assertThat(p).startsWith("VITALS_SECURITY=off"))
        .anySatisfy(p -> assertThat(p).startsWith("VITALS_DB_PASSWORD is empty"));
  }

  @Test
  void demoEntriesInAnOperatorsRealmAreRefused() throws Exception {
    Path realm = dir.resolve("realm.json");
    Files.writeString(
        realm,
        """
        {"users": [
          {"username": "jdoe", "password": "{noop}demo", "fhirUser": "Practitioner/1"},
          {"username": "ok", "password": "{bcrypt}$2a$10$abcdefghijklmnopqrstuu", "fhirUser": "Practitioner/2"}],
         "clients": [
          {"clientId": "lab", "type": "backend", "jwksFile": "clients/lab.jwks.json", "generateKey": true}]}
        """);
    assertThat(DemoSecretsGuard.realmProblems(realm))
        .containsExactly(
            "VITALS_SECURITY_REALM "
                + realm
                + ": user 'jdoe' has a plain-text ({noop}) password: store it {bcrypt}-encoded",
            "VITALS_SECURITY_REALM "
                + realm
                + ": client 'lab' has \"generateKey\": true (demo clients only): register its"
                + " public JWK Set");
  }

  @Test
  void productionWithItsOwnRealmKeyAndPasswordStarts() throws Exception {
    Path realm = dir.resolve("realm.json");
    Files.writeString(
        realm,
        "{\"users\": [{\"username\": \"jdoe\", \"password\": \"{bcrypt}$2a$10$x\","
            + " \"fhirUser\": \"Practitioner/1\"}], \"clients\": []}");
    assertThat(
            new DemoSecretsGuard()
                .problems(
                    production()
                        .withProperty("vitals.security.realm-file", realm.toString())
                        .withProperty("vitals.security.signing-key-file", "/etc/vitals/key.json")
                        .withProperty("vitals.db-url", "jdbc:postgresql://db/vitals")
                        .withProperty("vitals.db-password", "Zx8-generated-Q2")))
        .isEmpty();
  }

  private static MockEnvironment production() {
    return new MockEnvironment().withProperty("vitals.profile", "production");
  }
}
