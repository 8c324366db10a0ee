package org.vitals.fhir.apps;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the SMART apps built by {@code smart-apps/web} ({@code classpath:/vitals-apps/}) at {@code
 * /apps/}: the doctor app, the patient app and the local EHR launcher. Each app's page is its
 * folder URL (the registered redirect URI, e.g. {@code /apps/doctor/}); hashed assets are cached
 * for a year, pages are always revalidated. {@code VITALS_APPS_DIR} serves them from a folder
 * instead (app development: {@code npm run build -- --watch} in {@code smart-apps/web}).
 */
@Configuration
public class SmartAppsHosting implements WebMvcConfigurer {

  static final String[] APPS = {"doctor", "patient", "launcher"};

  private final String location;

  public SmartAppsHosting(@Value("${VITALS_APPS_DIR:}") String appsDir) {
    String folder =
        appsDir == null || appsDir.isBlank()
            ? null
            : Path.of(appsDir).toAbsolutePath().toUri().toString();
    this.location =
        folder == null ? "classpath:/vitals-apps/" : folder.endsWith("/") ? folder : folder + "/";
  }

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry
        .addResourceHandler("/apps/assets/**")
        .addResourceLocations(location + "assets/")
        .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    registry
        .addResourceHandler("/apps/**")
        .addResourceLocations(location)
        .setCacheControl(CacheControl.noCache());
  }

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    for (String app : APPS) {
      registry
          .addViewController("/apps/" + app + "/")
          .setViewName("forward:/apps/" + app + "/index.html");
      // An EHR may open the app without the slash: keep ?iss&launch through the redirect.
      registry
          .addRedirectViewController("/apps/" + app, "/apps/" + app + "/")
          .setKeepQueryParams(true);
    }
    registry.addRedirectViewController("/apps", "/apps/launcher/");
    registry.addRedirectViewController("/apps/", "/apps/launcher/");
  }
}
