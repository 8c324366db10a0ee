package org.vitals.cds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The start-up warm-up runs its calls through the real service code (JWT check, body reader, rules,
 * cards) and its synthetic patient is one the rules have something to say about.
 */
class WarmUpTest {

  static CdsServicesController controller(Path dir, DecisionSupport support) {
    return org.vitals.cds.bench.PatientViewCost.controller(dir, support);
  }

  static WarmUp warmUp(DecisionSupport support, int calls, Duration max) throws Exception {
    return new WarmUp(
        controller(Files.createTempDirectory("warm-up-test"), support),
        new StaticListableBeanFactory().getBeanProvider(ObjectMapper.class),
        calls,
        max);
  }

  @Test
  void theWarmUpMakesItsCallsAndEachIsAnswered() throws Exception {
    try (DecisionSupport support = new DecisionSupport()) {
      // A limit far above what 12 calls take, so a loaded machine cannot cut them short.
      WarmUp warmUp = warmUp(support, 12, Duration.ofSeconds(120));
      assertThat(warmUp.result()).isNull();
      warmUp.run(null);
      assertThat(warmUp.result()).isNotNull();
      // 12 at least: it goes on while the JIT is still compiling, up to the time limit.
      assertThat(warmUp.result().calls()).isGreaterThanOrEqualTo(12);
      assertThat(warmUp.result().millis()).isLessThan(120_000 + 15_000);
      assertThat(warmUp.result().firstMillis()).isPositive();
      assertThat(warmUp.result().lastTenMeanMillis()).isPositive();
    }
  }

  @Test
  void aTimeLimitEndsTheWarmUp() throws Exception {
    try (DecisionSupport support = new DecisionSupport()) {
      WarmUp warmUp = warmUp(support, 1_000_000, Duration.ofMillis(1));
      warmUp.run(null);
      assertThat(warmUp.result().calls()).isBetween(1, 5);
    }
  }

  @Test
  void theSyntheticPatientGetsCriticalNews2AndItsOtherCards() throws Exception {
    Path dir = Files.createTempDirectory("warm-up-test");
    try (DecisionSupport support = new DecisionSupport()) {
      var answer =
          controller(dir, support)
              .answer(
                  CdsServicesController.PATIENT_VIEW,
                  SyntheticPatient.request("patient-view", Instant.now()),
                  "http://127.0.0.1");
      assertThat(answer.getStatusCode().value()).isEqualTo(200);
      JsonNode cards = new ObjectMapper().valueToTree(answer.getBody()).get("cards");
      assertThat(cards.size()).isGreaterThanOrEqualTo(3);
      assertThat(cards.toString()).contains("NEWS2", "critical");
    }
  }
}
