package org.vitals.support.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertyResolver;
import org.springframework.mock.env.MockEnvironment;

/**
 * The profile check every service's guard shares: demo (the default) refuses nothing, production
 * refuses what the service names, anything else is an error; a refused start ends before any bean
 * with a report that names each setting and the way back to the demo.
 */
class ProductionProfileGuardTest {

  /** A service whose only demo setting is {@code example.open=true}. */
  public static class ExampleGuard extends ProductionProfileGuard {
    public ExampleGuard() {
      this(false);
    }

    ExampleGuard(boolean blankIsDemo) {
      super(blankIsDemo, "demo settings", "demo settings are configured");
    }

    @Override
    protected List<String> productionProblems(PropertyResolver env) {
      List<String> problems = new ArrayList<>();
      if (setting(env, "example.open").equals("true")) {
        problems.add("EXAMPLE_OPEN=true lets anyone in: remove it");
      }
      return problems;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Nothing {
    static boolean made;

    Nothing() {
      made = true;
    }
  }

  @Test
  void theDemoProfileIsTheDefaultAndRefusesNothing() {
    ExampleGuard guard = new ExampleGuard();
    assertThat(guard.problems(new MockEnvironment().withProperty("example.open", "true")))
        .isEmpty();
    assertThat(
            guard.problems(
                new MockEnvironment()
                    .withProperty("vitals.profile", " Demo ")
                    .withProperty("example.open", "true")))
        .isEmpty();
  }

  @Test
  void productionRefusesWhatTheServiceNamesAndNothingElse() {
    ExampleGuard guard = new ExampleGuard();
    assertThat(guard.problems(production().withProperty("example.open", "true")))
        .containsExactly("EXAMPLE_OPEN=true lets anyone in: remove it");
    assertThat(guard.problems(production().withProperty("example.open", "false"))).isEmpty();
  }

  @Test
  void anUnknownProfileIsAnErrorAndABlankOneIsDemoOnlyWhereTheServiceSaysSo() {
    assertThat(new ExampleGuard().problems(profile("prod")))
        .containsExactly("VITALS_PROFILE is 'prod': it must be demo or production");
    assertThat(new ExampleGuard(false).problems(profile(" ")))
        .containsExactly("VITALS_PROFILE is '': it must be demo or production");
    assertThat(new ExampleGuard(true).problems(profile(" "))).isEmpty();
  }

  @Test
  void theRefusalAndItsReportUseTheServicesWordsAndListEveryProblem() {
    var refusal = new ExampleGuard().refusal(List.of("A is open", "B is a default"));
    assertThat(refusal)
        .hasMessage("VITALS_PROFILE=production refuses demo settings: A is open; B is a default");
    FailureAnalysis analysis = new ProductionProfileGuard.Analyzer().analyze(refusal);
    assertThat(analysis.getDescription())
        .isEqualTo(
            "VITALS_PROFILE=production and demo settings are configured:\n"
                + "  - A is open\n"
                + "  - B is a default");
    assertThat(analysis.getAction()).contains("VITALS_PROFILE=demo");
  }

  @Test
  void aRefusedStartEndsBeforeAnyBean() {
    Nothing.made = false;
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(Nothing.class)
                    .web(WebApplicationType.NONE)
                    .run("--vitals.profile=production", "--example.open=true")
                    .close())
        .isInstanceOfSatisfying(
            ProductionProfileGuard.DefaultSecretRefusedException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly("EXAMPLE_OPEN=true lets anyone in: remove it"));
    assertThat(Nothing.made).isFalse();
    // The same settings start under the demo profile.
    new SpringApplicationBuilder(Nothing.class)
        .web(WebApplicationType.NONE)
        .run("--example.open=true")
        .close();
    assertThat(Nothing.made).isTrue();
  }

  @Test
  void demoRealmKeysAreRecognisedByWhereTheDemoRealmWritesThem() {
    assertThat(
            ProductionProfileGuard.isDemoRealmKey(
                "data/security/clients/vitals-gateway.private.jwk.json"))
        .isTrue();
    assertThat(
            ProductionProfileGuard.isDemoRealmKey(
                "/var/lib/vitals/security/../security/clients/vitals-cds.private.jwk.json"))
        .isTrue();
    assertThat(ProductionProfileGuard.isDemoRealmKey("/etc/vitals/client/private.jwk.json"))
        .isFalse();
    assertThat(ProductionProfileGuard.isDemoRealmKey("/clients/x.private.jwk.json")).isFalse();
    assertThat(ProductionProfileGuard.isDemoRealmKey("security/clients/x.jwks.json")).isFalse();
    assertThat(ProductionProfileGuard.isDemoRealmKey("{\"kty\":\"EC\"}")).isFalse();
    assertThat(ProductionProfileGuard.isDemoRealmKey("")).isFalse();
  }

  private static MockEnvironment production() {
    return profile("production");
  }

  private static MockEnvironment profile(String value) {
    return new MockEnvironment().withProperty("vitals.profile", value);
  }
}
