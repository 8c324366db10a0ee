package org.vitals.fhir.apps;

import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the SMART apps built by {@code smart-apps/web} ({@code classpath:/vitals-apps/}) at {@code
 * /apps/}: the doctor app, the patient app and the local EHR launcher. Each app's page is its
 * folder URL (the registered redirect URI, e.g. {@code /apps/doctor/}); hashed assets are cached
 * for a year, pages are always revalidated.
 */
@Configuration
public class SmartAppsHosting implements WebMvcConfigurer {

  static final String LOCATION = "classpath:/vitals-apps/";
  static final String[] APPS = {"doctor", "patient", "launcher"};

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry
        .addResourceHandler("/apps/assets/**")
        .addResourceLocations(LOCATION + "assets/")
        .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    registry
        .addResourceHandler("/apps/**")
        .addResourceLocations(LOCATION)
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
