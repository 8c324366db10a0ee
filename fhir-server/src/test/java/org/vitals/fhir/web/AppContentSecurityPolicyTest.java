package org.vitals.fhir.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppContentSecurityPolicyTest {

  @Test
  void theAppsMayConnectToThisServerItsWebsocketAndTheConfiguredCdsServiceOnly() {
    String policy =
        new AppContentSecurityPolicy("https://cds.example.org/base/", null)
            .header("https://vitals.example.org", "'self' https://ehr.example.org");
    assertThat(policy)
        .contains(
            "connect-src 'self' https://vitals.example.org wss://vitals.example.org"
                + " https://cds.example.org;")
        .contains("script-src 'self';")
        .contains("object-src 'none'; base-uri 'none'; form-action 'self';")
        .contains("frame-src 'self';")
        .endsWith("frame-ancestors 'self' https://ehr.example.org")
        .doesNotContain("unsafe-eval")
        .doesNotContain(" http: ")
        .doesNotContain("/base");
  }

  @Test
  void portsStayInOriginsAndTheIdentityProviderMayBeShownInTheLaunchersFrame() {
    String policy =
        new AppContentSecurityPolicy(
                "http://localhost:8082", "https://idp.example.org:8443/realms/x")
            .header("http://localhost:18080", "'self'");
    assertThat(policy)
        .contains(
            "connect-src 'self' http://localhost:18080 ws://localhost:18080 http://localhost:8082;")
        .contains("frame-src 'self' https://idp.example.org:8443;");
  }

  @Test
  void withoutACdsServiceOnlyThisServerIsReachable() {
    assertThat(new AppContentSecurityPolicy(null, null).header("http://h:1", "'none'"))
        .contains("connect-src 'self' http://h:1 ws://h:1;");
    assertThat(AppContentSecurityPolicy.origin("file:///x")).isNull();
    assertThat(AppContentSecurityPolicy.origin("http://bad host; script-src *")).isNull();
  }
}
