package org.vitals.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.vitals.fhir.config.VitalsServerProperties;

/** The Contract: token enforcement is on unless VITALS_SECURITY=off says otherwise. */
class SecuritySettingsTest {

  VitalsServerProperties bind(Map<String, Object> environment) throws Exception {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    env.getPropertySources().addFirst(new MapPropertySource("test-env", environment));
    new YamlPropertySourceLoader()
        .load("application.yaml", new ClassPathResource("application.yaml"))
        .forEach(env.getPropertySources()::addLast);
    return Binder.get(env).bindOrCreate("vitals", VitalsServerProperties.class);
  }

  @Test
  void securityIsOnByDefault() throws Exception {
    VitalsServerProperties settings = bind(Map.of());
    assertThat(settings.security().enforced()).isTrue();
    assertThat(settings.security().backendTokenLifetime().toSeconds()).isEqualTo(300);
    assertThat(settings.security().accessTokenLifetime().toMinutes()).isEqualTo(60);
  }

  @Test
  void vitalsSecurityOffTurnsEnforcementOff() throws Exception {
    assertThat(bind(Map.of("VITALS_SECURITY", "off")).security().enforced()).isFalse();
    assertThat(bind(Map.of("VITALS_SECURITY", "on")).security().enforced()).isTrue();
  }
}
