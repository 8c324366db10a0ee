package org.vitals.support.profile;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertyResolver;

/**
 * The start-up check behind each service's {@code DemoSecretsGuard} (decisions 0931, 0935): reads
 * {@code VITALS_PROFILE} (property {@code vitals.profile}); {@code demo} refuses nothing, {@code
 * production} refuses to start when the service names any problem, anything else is an error. A
 * Spring Boot {@link EnvironmentPostProcessor}, so it runs once the configuration is read and
 * before any bean exists: a refused start has made nothing. What counts as a demo setting is the
 * service's ({@link #productionProblems}); this class holds no service's settings.
 */
public abstract class ProductionProfileGuard implements EnvironmentPostProcessor {

  private final boolean blankIsDemo;
  private final String refuses;
  private final String configured;

  /**
   * @param blankIsDemo whether {@code VITALS_PROFILE} set to an empty value means demo (the CDS
   *     services) or is refused as an unknown profile (FHIR server, gateway); unset is demo always
   * @param refuses what production refuses, for the exception's message ("default and demo
   *     secrets")
   * @param configured what was found, for the failure report ("default or demo secrets are
   *     configured")
   */
  protected ProductionProfileGuard(boolean blankIsDemo, String refuses, String configured) {
    this.blankIsDemo = blankIsDemo;
    this.refuses = refuses;
    this.configured = configured;
  }

  /** The service's own problems with these settings under {@code production}; empty when none. */
  protected abstract List<String> productionProblems(PropertyResolver env);

  @Override
  public final void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    List<String> problems = problems(environment);
    if (!problems.isEmpty()) {
      throw refusal(problems);
    }
  }

  /** What keeps the service from starting with these settings; empty when it may start. */
  public final List<String> problems(PropertyResolver env) {
    String raw = env.getProperty("vitals.profile");
    String profile = raw == null ? "demo" : raw.trim().toLowerCase(Locale.ROOT);
    if (profile.equals("demo") || (blankIsDemo && profile.isEmpty())) {
      return List.of();
    }
    if (!profile.equals("production")) {
      return List.of("VITALS_PROFILE is '" + profile + "': it must be demo or production");
    }
    return List.copyOf(productionProblems(env));
  }

  /** The exception a start with these problems ends in, worded for this service. */
  public final DefaultSecretRefusedException refusal(List<String> problems) {
    return new DefaultSecretRefusedException(refuses, configured, problems);
  }

  /** A setting's value, trimmed; empty when it is not set. */
  protected static String setting(PropertyResolver env, String name) {
    String value = env.getProperty(name);
    return value == null ? "" : value.trim();
  }

  /**
   * Whether a client-key setting names a key the FHIR server's demo realm wrote: {@code
   * <data>/security/clients/<client>.private.jwk.json}. A JWK given inline is never one.
   */
  public static boolean isDemoRealmKey(String key) {
    if (key == null || key.isEmpty() || key.startsWith("{")) {
      return false;
    }
    Path p = Path.of(key).normalize();
    Path clients = p.getParent();
    Path security = clients == null ? null : clients.getParent();
    return p.getFileName() != null
        && p.getFileName().toString().endsWith(".private.jwk.json")
        && clients.getFileName() != null
        && clients.getFileName().toString().equals("clients")
        && security != null
        && security.getFileName() != null
        && security.getFileName().toString().equals("security");
  }

  /** The service would run on a default or demo setting outside the demo profile. */
  public static class DefaultSecretRefusedException extends IllegalStateException {
    private final String configured;
    private final List<String> problems;

    DefaultSecretRefusedException(String refuses, String configured, List<String> problems) {
      super("VITALS_PROFILE=production refuses " + refuses + ": " + String.join("; ", problems));
      this.configured = configured;
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /**
   * Prints the refusal as Spring Boot's "APPLICATION FAILED TO START" report, one line a problem,
   * with the way back to the demo. Registered in each service's {@code META-INF/spring.factories}.
   */
  public static class Analyzer extends AbstractFailureAnalyzer<DefaultSecretRefusedException> {
    @Override
    protected FailureAnalysis analyze(Throwable root, DefaultSecretRefusedException cause) {
      return new FailureAnalysis(
          "VITALS_PROFILE=production and "
              + cause.configured
              + ":\n  - "
              + String.join("\n  - ", cause.problems()),
          "Set each named setting (docs/security.md, \"Default secrets\"), or run the embedded"
              + " demo with VITALS_PROFILE=demo (never with real patient data).",
          cause);
    }
  }
}
