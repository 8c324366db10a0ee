package org.vitals.cds.hooks;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers {@link CallAdmission} after CORS and the JWT check (so refused clients take no permit)
 * on the CDS service calls. {@code VITALS_CDS_MAX_CONCURRENT_CALLS} (default: the number of
 * processors, at least 2) and {@code VITALS_CDS_QUEUE_TIMEOUT} (default {@code PT1S}).
 */
@Configuration
public class CallAdmissionConfig {

  @Bean
  CallAdmission callAdmission(
      @Value("${vitals.cds.max-concurrent-calls:0}") int permits,
      @Value("${vitals.cds.queue-timeout:PT1S}") Duration queueTimeout,
      ApplicationAvailability availability) {
    int n = permits > 0 ? permits : Math.max(2, Runtime.getRuntime().availableProcessors());
    // Readiness turns ACCEPTING_TRAFFIC after the start-up runners, the JIT warm-up included.
    return new CallAdmission(
        n,
        queueTimeout,
        () -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
  }

  @Bean
  FilterRegistrationBean<CallAdmission> callAdmissionFilter(CallAdmission admission) {
    FilterRegistrationBean<CallAdmission> bean = new FilterRegistrationBean<>(admission);
    bean.addUrlPatterns("/cds-services/*");
    bean.setOrder(2);
    return bean;
  }
}
