package org.vitals.fhir.config;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.CorsInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.servlet.ServletException;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.vitals.fhir.audit.AuditEventRecorder;
import org.vitals.fhir.ingest.ConditionalCreateRetryInterceptor;
import org.vitals.fhir.ingest.ConditionalUrlQualifier;
import org.vitals.fhir.latest.LatestVitalsProvider;
import org.vitals.fhir.security.enforcement.FhirApiSecurityConfig.FhirApiSecurity;
import org.vitals.fhir.validation.VitalSignsConformanceInterceptor;
import org.vitals.fhir.web.FhirVersionInterceptor;
import org.vitals.fhir.web.ReadOnlyInterceptor;
import org.vitals.fhir.web.RequestSizeLimitFilter;

/** The FHIR REST endpoint at {@code /fhir}: providers, paging, conformance and interceptors. */
@Configuration
public class FhirRestConfig {

  static final String FHIR_PATH = "/fhir";

  @Bean
  public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer server) {
    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(server, FHIR_PATH + "/*");
    registration.setName("fhir");
    registration.setLoadOnStartup(1);
    return registration;
  }

  @Bean
  public FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(
      VitalsServerProperties properties, FhirContext fhirContext) {
    FilterRegistrationBean<RequestSizeLimitFilter> registration =
        new FilterRegistrationBean<>(
            new RequestSizeLimitFilter(fhirContext, properties.maxRequestBytes()));
    registration.addUrlPatterns(FHIR_PATH + "/*");
    return registration;
  }

  @Bean
  public RestfulServer fhirRestfulServer(
      FhirContext fhirContext,
      IFhirSystemDao<?, ?> systemDao,
      ResourceProviderFactory resourceProviders,
      IJpaSystemProvider systemProvider,
      DatabaseBackedPagingProvider pagingProvider,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport,
      DaoRegistry daoRegistry,
      VitalsServerProperties properties,
      FhirApiSecurity fhirApiSecurity,
      AuditEventRecorder auditEventRecorder) {
    RestfulServer server =
        new RestfulServer(fhirContext) {
          @Override
          protected void initialize() throws ServletException {
            super.initialize();
            setServerConformanceProvider(
                capabilityStatement(
                    this, systemDao, storageSettings, searchParamRegistry, validationSupport));
          }
        };
    server.setServerName("Vitals FHIR server");
    server.setImplementationDescription("Vitals: FHIR-native vitals monitoring");
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    server.setDefaultPrettyPrint(false);
    server.registerProviders(resourceProviders.createProviders());
    server.registerProvider(systemProvider);
    @SuppressWarnings("unchecked")
    IFhirResourceDao<Observation> observationDao = daoRegistry.getResourceDao(Observation.class);
    server.registerProvider(new LatestVitalsProvider(observationDao));
    pagingProvider.setDefaultPageSize(50);
    pagingProvider.setMaximumPageSize(1000);
    server.setPagingProvider(pagingProvider);

    server.registerInterceptor(new FhirVersionInterceptor());
    if (properties.readOnly()) {
      server.registerInterceptor(new ReadOnlyInterceptor());
    }
    server.registerInterceptor(corsInterceptor());
    server.registerInterceptor(
        new VitalSignsConformanceInterceptor(fhirContext, properties.validationMode()));
    server.registerInterceptor(new ConditionalCreateRetryInterceptor(10));
    server.registerInterceptor(new ConditionalUrlQualifier());
    // SMART scopes (unless VITALS_SECURITY=off) and the audit trail: org.vitals.fhir.security.
    fhirApiSecurity.registerOn(server);
    server.registerInterceptor(auditEventRecorder);
    return server;
  }

  private static JpaCapabilityStatementProvider capabilityStatement(
      RestfulServer server,
      IFhirSystemDao<?, ?> systemDao,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport) {
    JpaCapabilityStatementProvider provider =
        new JpaCapabilityStatementProvider(
            server, systemDao, storageSettings, searchParamRegistry, validationSupport);
    provider.setImplementationDescription("Vitals FHIR server");
    // Counting every resource type on each /metadata call costs a scan per type.
    provider.setIncludeResourceCounts(false);
    return provider;
  }

  /** Browser apps (the SMART apps, CDS clients) call the API from other origins. */
  private static CorsInterceptor corsInterceptor() {
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOriginPatterns(List.of("*"));
    cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
    cors.setAllowedHeaders(
        List.of(
            "Origin",
            "Accept",
            "Content-Type",
            "Authorization",
            "Prefer",
            "If-Match",
            "If-None-Exist",
            "If-None-Match",
            "If-Modified-Since",
            "X-Requested-With"));
    cors.setExposedHeaders(List.of("Location", "Content-Location", "ETag", "Last-Modified"));
    cors.setAllowCredentials(false);
    return new CorsInterceptor(cors);
  }
}
