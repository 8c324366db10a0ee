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
                start(
                    "--vitals.profile=production",
                    "--vitals.cds.auth=off",
                    "--vitals.cds.trusted-issuers=https://sandbox.cds-hooks.org="
                        + "https://sandbox.cds-hooks.org/.well-known/jwks.json",
                    "--vitals.cds.fhir-client-key=data/security/clients/vitals-cds.private.jwk.json",
                    "--vitals.cds.monitor.secret=secret"))
        .isInstanceOfSatisfying(
            DemoSecretsGuard.DefaultSecretRefusedException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(5)
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith("VITALS_CDS_CORS_ORIGINS allows '*'")
                                .contains("the embedded default when it is not set"))
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
            new DemoSecretsGuard()
                .problems(
                    new MockEnvironment()
                        .withProperty("vitals.profile", "production")
                        .withProperty("vitals.cds.auth", "on")
                        .withProperty(
                            "vitals.cds.trusted-issuers",
                            "https://ehr.example.org=https://ehr.example.org/jwks.json")
                        .withProperty(
                            "vitals.cds.fhir-client-key", "/etc/vitals/client/private.jwk.json")
                        .withProperty("vitals.cds.monitor.secret", "0123456789abcdef0123")
                        .withProperty(
                            "vitals.cds.cors-origins",
                            "https://ehr.example.org, https://*.wards.example.org:[8443,443]")))
        .isEmpty();
  }

  @Test
  void productionRefusesToStartWithoutABrowserOriginAllowList() {
    // Everything else set as production wants it; VITALS_CDS_CORS_ORIGINS not set at all, so the
    // embedded default (*) applies: the real start-up (application.yaml included) must refuse.
    assertThatThrownBy(
            () ->
                start(
                    "--vitals.profile=production",
                    "--vitals.cds.trusted-issuers=https://ehr.example.org="
                        + "https://ehr.example.org/jwks.json",
                    "--vitals.cds.monitor.secret=0123456789abcdef0123"))
        .isInstanceOfSatisfying(
            DemoSecretsGuard.DefaultSecretRefusedException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        p ->
                            assertThat(p)
                                .startsWith("VITALS_CDS_CORS_ORIGINS allows '*'")
                                .contains("list the EHR origins")))
        .hasMessageContaining("VITALS_CDS_CORS_ORIGINS");
  }

  @Test
  void wildcardAndEmptyOriginListsAreRefusedNamedOriginsAllowed() {
    for (String bad :
        new String[] {
          "*",
          " * ",
          "https://*",
          "http://*:[*]",
          "https://*.org",
          "*://ehr.example.org",
          "https://ehr.example.org,*",
          "https://*ehr.org",
          "",
          " , "
        }) {
      assertThat(DemoSecretsGuard.corsProblem(bad)).as(bad).startsWith("VITALS_CDS_CORS_ORIGINS");
    }
    for (String good :
        new String[] {
          "https://ehr.example.org",
          "https://ehr.example.org:8443,http://localhost:3000",
          "https://*.example.org",
          "https://*.wards.example.org:[*]"
        }) {
      assertThat(DemoSecretsGuard.corsProblem(good)).as(good).isNull();
    }
    assertThat(
            new DemoSecretsGuard()
                .problems(new MockEnvironment().withProperty("vitals.cds.cors-origins", "*")))
        .as("the demo profile keeps * for the CDS Hooks sandbox")
        .isEmpty();
  }

  @Test
  void theDemoProfileIsTheDefault() {
    assertThat(
            new DemoSecretsGuard()
                .problems(new MockEnvironment().withProperty("vitals.cds.auth", "off")))
        .isEmpty();
    assertThat(
            new DemoSecretsGuard()
                .problems(new MockEnvironment().withProperty("vitals.profile", "prod")))
        .containsExactly("VITALS_PROFILE is 'prod': it must be demo or production");
  }

  @Test
  void theFailureReportSaysHowToRunTheDemo() {
    var analysis =
        new DemoSecretsGuard.Analyzer()
            .analyze(
                new DemoSecretsGuard()
                    .refusal(
                        java.util.List.of("VITALS_CDS_AUTH=off lets any caller ask for cards")));
    assertThat(analysis.getDescription()).contains("VITALS_CDS_AUTH=off");
    assertThat(analysis.getAction()).contains("VITALS_PROFILE=demo");
  }

  /** Starts the real application (application.yaml included) without a web server. */
  private static void start(String... args) {
    new SpringApplicationBuilder(CdsHooksApplication.class)
        .web(WebApplicationType.NONE)
        .run(args)
        .close();
  }
}
