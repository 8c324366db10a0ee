package org.vitals.cds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class CallAdmissionTest {

  static MockHttpServletRequest post(String path) {
    MockHttpServletRequest r = new MockHttpServletRequest("POST", path);
    r.setRequestURI(path);
    return r;
  }

  @Test
  void aCallBeyondThePermitsWaitsThenGets503WithRetryAfter() throws Exception {
    CallAdmission admission = new CallAdmission(1, Duration.ofMillis(200));
    CountDownLatch inWork = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FilterChain slow =
        (req, res) -> {
          inWork.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    MockHttpServletResponse first = new MockHttpServletResponse();
    Thread t =
        new Thread(
            () -> {
              try {
                admission.doFilter(post("/cds-services/vitals-ai"), first, slow);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    t.start();
    assertThat(inWork.await(10, TimeUnit.SECONDS)).isTrue();

    MockHttpServletResponse second = new MockHttpServletResponse();
    boolean[] ran = {false};
    admission.doFilter(post("/cds-services/vitals-ai"), second, (req, res) -> ran[0] = true);
    assertThat(ran[0]).as("the second call was not worked on").isFalse();
    assertThat(second.getStatus()).isEqualTo(503);
    assertThat(second.getHeader("Retry-After")).isEqualTo("1");
    assertThat(second.getContentAsString()).contains("OperationOutcome", "transient");
    assertThat(admission.refused()).isEqualTo(1);

    // Feedback, discovery and the monitor's rest-hook are never held back.
    for (MockHttpServletRequest free :
        new MockHttpServletRequest[] {
          post("/cds-services/vitals-ai/feedback"),
          new MockHttpServletRequest("GET", "/cds-services"),
          post("/monitor/hook/Observation/1")
        }) {
      boolean[] passed = {false};
      admission.doFilter(free, new MockHttpServletResponse(), (req, res) -> passed[0] = true);
      assertThat(passed[0]).as(free.getRequestURI()).isTrue();
    }

    release.countDown();
    t.join(10_000);
    assertThat(first.getStatus()).isEqualTo(200);
    boolean[] third = {false};
    admission.doFilter(
        post("/cds-services/vitals-ai"),
        new MockHttpServletResponse(),
        (req, res) -> third[0] = true);
    assertThat(third[0]).as("the permit was given back").isTrue();
  }

  @Test
  void beforeTheServiceIsReadyCallsGet503AtOnceAndNothingElseIsHeldBack() throws Exception {
    boolean[] ready = {false};
    CallAdmission admission = new CallAdmission(2, Duration.ofSeconds(5), () -> ready[0]);
    MockHttpServletResponse early = new MockHttpServletResponse();
    boolean[] ran = {false};
    long t0 = System.nanoTime();
    admission.doFilter(post("/cds-services/vitals-ai"), early, (req, res) -> ran[0] = true);
    assertThat(ran[0]).isFalse();
    assertThat(early.getStatus()).isEqualTo(503);
    assertThat(early.getHeader("Retry-After")).isEqualTo("5");
    assertThat(early.getContentAsString()).contains("transient", "warming up");
    assertThat(System.nanoTime() - t0).as("not queued").isLessThan(1_000_000_000L);

    boolean[] hook = {false};
    admission.doFilter(
        post("/monitor/hook/Observation/1"),
        new MockHttpServletResponse(),
        (req, res) -> hook[0] = true);
    assertThat(hook[0]).as("the monitor's deliveries are taken while warming up").isTrue();

    ready[0] = true;
    admission.doFilter(
        post("/cds-services/vitals-ai"),
        new MockHttpServletResponse(),
        (req, res) -> ran[0] = true);
    assertThat(ran[0]).isTrue();
  }
}
