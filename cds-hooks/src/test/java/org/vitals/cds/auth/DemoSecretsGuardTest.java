package org.vitals.cds.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;
import org.vitals.cds.CdsHooksApplication;

/**
 * Outside the demo profile the CDS services do not start with client authentication off, a public
 * test issuer, the FHIR server's demo client key or a short rest-hook secret; demo is the default.
 */
class DemoSecretsGuardTest {

  @Test
  void theServicesRefuseToStartInProductionWithDemoSettings() {
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(CdsHooksApplication.class)
                    .web(WebApplicationType.NONE)
                    .run(
                        "--vitals.profile=production",
                        "--vitals.cds.auth=off",
                        "--vitals.cds.trusted-issuers=https://sandbox.cds-hooks.org="
                            + "https://sandbox.cds-hooks.org/.well-known/jwks.json",
                        "--vitals.cds.fhir-client-key=data/security/clients/vitals-cds.private.jwk.json",
                        "--vitals.cds.monitor.secret=secret")
                    .close())
        .isInstanceOfSatisfying(
            DemoSecretsGuard.DefaultSecretRefusedException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(4)
                    .anySatisfy(p -> assertThat(p).startsWith("VITALS_CDS_AUTH=off"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith(
                                    "VITALS_CDS_TRUSTED_ISSUERS trusts sandbox.cds-hooks.org"))
                    .anySatisfy(p -> assertThat(p).startsWith("VITALS_FHIR_CLIENT_KEY data/"))
                    .anySatisfy(p -> assertThat(p).startsWith("VITALS_MONITOR_SECRET has 6")));
  }

  @Test
  void productionWithRealSettingsMayStart() {
    assertThat(
            DemoSecretsGuard.problems(
                new MockEnvironment()
                    .withProperty("vitals.profile", "production")
                    .withProperty("vitals.cds.auth", "on")
                    .withProperty(
                        "vitals.cds.trusted-issuers",
                        "https://ehr.example.org=https://ehr.example.org/jwks.json")
                    .withProperty(
                        "vitals.cds.fhir-client-key", "/etc/vitals/client/private.jwk.json")
                    .withProperty("vitals.cds.monitor.secret", "0123456789abcdef0123")))
        .isEmpty();
  }

  @Test
  void theDemoProfileIsTheDefault() {
    assertThat(
            DemoSecretsGuard.problems(new MockEnvironment().withProperty("vitals.cds.auth", "off")))
        .isEmpty();
    assertThat(
            DemoSecretsGuard.problems(new MockEnvironment().withProperty("vitals.profile", "prod")))
        .containsExactly("VITALS_PROFILE is 'prod': it must be demo or production");
  }

  @Test
  void theFailureReportSaysHowToRunTheDemo() {
    var analysis =
        new DemoSecretsGuard.Analyzer()
            .analyze(
                new DemoSecretsGuard.DefaultSecretRefusedException(
                    java.util.List.of("VITALS_CDS_AUTH=off lets any caller ask for cards")));
    assertThat(analysis.getDescription()).contains("VITALS_CDS_AUTH=off");
    assertThat(analysis.getAction()).contains("VITALS_PROFILE=demo");
  }
}
