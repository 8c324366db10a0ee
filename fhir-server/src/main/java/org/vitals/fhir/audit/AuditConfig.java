package org.vitals.fhir.audit;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import io.micrometer.core.instrument.MeterRegistry;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The audit trail of FHIR access: the recorder (a HAPI interceptor) and the batched writer. */
@Configuration
public class AuditConfig {

  @Bean
  public AuditTrail auditTrail(IFhirSystemDao<Bundle, ?> systemDao, MeterRegistry meters) {
    return new AuditTrail(systemDao, meters, 50_000);
  }

  @Bean
  public AuditEventRecorder auditEventRecorder(AuditTrail trail) {
    return new AuditEventRecorder(trail);
  }
}
