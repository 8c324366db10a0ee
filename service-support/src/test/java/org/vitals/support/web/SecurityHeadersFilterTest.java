package org.vitals.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.vitals.support.web.SecurityHeadersFilter.Framing;
import org.vitals.support.web.SecurityHeadersFilter.Rules;

/**
 * The headers every answer gets, those the service's rules decide per path, and, where the filter
 * owns them, that later writers (Spring Security's defaults) cannot replace them.
 */
class SecurityHeadersFilterTest {

  /** A service with pages under /apps (framable by an EHR) and an API under /api. */
  static final Rules PAGES_AND_API =
      new Rules() {
        @Override
        public Framing framing(HttpServletRequest request, String path) {
          return path.startsWith("/apps/")
              ? Framing.allowedBy("frame-ancestors 'self' https://ehr.example.org")
              : Framing.denied("frame-ancestors 'none'");
        }

        @Override
        public boolean noStore(String path) {
          return path.startsWith("/api/");
        }
      };

  @Test
  void anApiAnswerIsNeitherCachedFramedSniffedNorReferred() throws Exception {
    MockHttpServletResponse r = run(SecurityHeadersFilter.forApi(), get("/api/dead-letters"), null);
    assertThat(r.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(r.getHeader("Content-Security-Policy"))
        .isEqualTo("default-src 'none'; frame-ancestors 'none'");
    assertThat(r.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(r.getHeader("Strict-Transport-Security")).as("plain http").isNull();
  }

  @Test
  void hstsOnlyOnTlsRequests() throws Exception {
    MockHttpServletRequest tls = get("/cds-services");
    tls.setSecure(true);
    assertThat(
            run(SecurityHeadersFilter.forApi(), tls, null).getHeader("Strict-Transport-Security"))
        .isEqualTo("max-age=31536000; includeSubDomains");
  }

  @Test
  void theRulesDecideFramingAndCachingPerPathWithoutTheContextPath() throws Exception {
    SecurityHeadersFilter filter = new SecurityHeadersFilter(PAGES_AND_API, true);
    MockHttpServletRequest app = get("/ctx/apps/doctor/");
    app.setContextPath("/ctx");
    MockHttpServletResponse page = run(filter, app, null);
    assertThat(page.getHeader("X-Frame-Options")).as("cannot name the EHR").isNull();
    assertThat(page.getHeader("Content-Security-Policy"))
        .isEqualTo("frame-ancestors 'self' https://ehr.example.org");
    assertThat(page.getHeader("Cache-Control")).isNull();

    MockHttpServletResponse api = run(filter, get("/api/x"), null);
    assertThat(api.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(api.getHeader("Content-Security-Policy")).isEqualTo("frame-ancestors 'none'");
    assertThat(api.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void ownedHeadersIgnoreLaterWritesOthersDoNot() throws Exception {
    MockHttpServletResponse owned =
        run(new SecurityHeadersFilter(PAGES_AND_API, true), get("/apps/doctor/"), downstream());
    assertThat(owned.getHeaders("X-Frame-Options")).isEmpty();
    assertThat(owned.getHeader("Content-Security-Policy"))
        .isEqualTo("frame-ancestors 'self' https://ehr.example.org");
    assertThat(owned.getHeader("X-Extra")).as("not owned").isEqualTo("kept");

    MockHttpServletResponse notOwned =
        run(new SecurityHeadersFilter(PAGES_AND_API, false), get("/apps/doctor/"), downstream());
    assertThat(notOwned.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(notOwned.getHeader("Content-Security-Policy")).isEqualTo("default-src 'self'");
  }

  @Test
  void itRunsBeforeSpringSecurity() {
    // Spring Security's filter chain is registered at order -100.
    assertThat(SecurityHeadersFilter.forApi().getOrder()).isLessThan(-100);
  }

  /** What a security chain behind the filter writes: its own framing headers. */
  private static MockFilterChain downstream() {
    return new MockFilterChain(
        new jakarta.servlet.http.HttpServlet() {
          @Override
          protected void service(HttpServletRequest req, HttpServletResponse resp) {
            resp.addHeader("X-Frame-Options", "DENY");
            resp.setHeader("Content-Security-Policy", "default-src 'self'");
            resp.setHeader("X-Extra", "kept");
          }
        });
  }

  private static MockHttpServletRequest get(String uri) {
    return new MockHttpServletRequest("GET", uri);
  }

  private static MockHttpServletResponse run(
      SecurityHeadersFilter filter, MockHttpServletRequest request, MockFilterChain chain)
      throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request, response, chain == null ? new MockFilterChain() : chain);
    return response;
  }
}
