package org.vitals.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The HTTP API's bearer credential (decision 0210). */
class ApiTokenFilterTest {
  static final String TOKEN = "Zr8v2N7qWm4Xk1Lp9Hs3Tb6Yc0Df5Gj8";

  static MockHttpServletResponse call(ApiTokenFilter f, String path, String authorization)
      throws Exception {
    return call(f, path, path, authorization);
  }

  /** As Tomcat passes it: the raw URI, and the decoded, normalised servlet path. */
  static MockHttpServletResponse call(
      ApiTokenFilter f, String uri, String servletPath, String authorization) throws Exception {
    MockHttpServletRequest req = new MockHttpServletRequest("GET", uri);
    req.setServletPath(servletPath);
    if (authorization != null) {
      req.addHeader("Authorization", authorization);
    }
    MockHttpServletResponse res = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    f.doFilter(req, res, chain);
    if (chain.getRequest() == null) {
      assertThat(res.getStatus()).isEqualTo(401);
    }
    return res;
  }

  @Test
  void withATokenTheApiNeedsIt() throws Exception {
    ApiTokenFilter f = new ApiTokenFilter(TOKEN);
    assertThat(call(f, "/api/dead-letters", null).getStatus()).isEqualTo(401);
    assertThat(call(f, "/api/dead-letters", null).getHeader("WWW-Authenticate"))
        .startsWith("Bearer");
    assertThat(call(f, "/api/devices/d1/assignment", "Bearer wrong").getStatus()).isEqualTo(401);
    assertThat(call(f, "/api/devices/d1/assignment", "Basic " + TOKEN).getStatus()).isEqualTo(401);
    assertThat(call(f, "/api/devices/d1/assignment", "Bearer " + TOKEN + "x").getStatus())
        .isEqualTo(401);
    assertThat(call(f, "/api/devices/d1/assignment", "Bearer " + TOKEN).getStatus()).isEqualTo(200);
    assertThat(call(f, "/api", "bearer " + TOKEN).getStatus()).isEqualTo(200);
    // Health and metrics stay open for probes and scrapers (no patient data).
    assertThat(call(f, "/actuator/health", null).getStatus()).isEqualTo(200);
    assertThat(call(f, "/actuator/prometheus", null).getStatus()).isEqualTo(200);
    // Deny by default: any other path needs the token too.
    assertThat(call(f, "/apis", null).getStatus()).isEqualTo(401);
    assertThat(call(f, "/", null).getStatus()).isEqualTo(401);
  }

  @Test
  void pathParametersAndDotSegmentsDoNotGetPastIt() throws Exception {
    ApiTokenFilter f = new ApiTokenFilter(TOKEN);
    // Spring MVC maps both to the API; a prefix check of the raw URI would have let them through.
    assertThat(call(f, "/api;jsessionid=1/dead-letters", "/api/dead-letters", null).getStatus())
        .isEqualTo(401);
    assertThat(call(f, "/actuator/../api/devices", "/api/devices", null).getStatus())
        .isEqualTo(401);
    assertThat(call(f, "/actuator/../api/devices", "/actuator/../api/devices", null).getStatus())
        .isEqualTo(401);
  }

  @Test
  void withoutATokenTheApiIsOpen() throws Exception {
    assertThat(call(new ApiTokenFilter(""), "/api/dead-letters", null).getStatus()).isEqualTo(200);
  }
}
