package org.vitals.fhir.security.authserver;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.vitals.fhir.security.SmartScope;
import org.vitals.fhir.security.realm.SecurityRealm;

/**
 * Standalone launch by a clinician: an authorization request that needs a patient in context
 * ({@code launch/patient} or a {@code patient/} scope) but brings no {@code launch} is sent to the
 * patient picker first; the picker comes back with a launch for the chosen patient. A signed-in
 * patient is always their own context and never sees the picker.
 */
final class PatientPickerRedirectFilter extends OncePerRequestFilter {

  static final String SAVED_QUERY = PatientPickerRedirectFilter.class.getName() + ".query";

  private final SecurityRealm realm;

  PatientPickerRedirectFilter(SecurityRealm realm) {
    this.realm = realm;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().endsWith("/oauth2/authorize")
        || request.getParameter("launch") != null
        || request.getParameter("scope") == null;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication user = SecurityContextHolder.getContext().getAuthentication();
    if (user != null && user.isAuthenticated() && needsPatient(request.getParameter("scope"))) {
      boolean clinician =
          realm.user(user.getName()).map(SecurityRealm.User::practitioner).orElse(false);
      if (clinician) {
        request.getSession().setAttribute(SAVED_QUERY, query(request));
        response.sendRedirect(request.getContextPath() + "/smart/patient-picker");
        return;
      }
    }
    chain.doFilter(request, response);
  }

  /** The request's parameters as a query string (authorize may come as GET or as a POST form). */
  private static String query(HttpServletRequest request) {
    org.springframework.web.util.UriComponentsBuilder query =
        org.springframework.web.util.UriComponentsBuilder.newInstance();
    request.getParameterMap().forEach((k, values) -> query.queryParam(k, (Object[]) values));
    return query.encode().build().getQuery();
  }

  static boolean needsPatient(String scope) {
    Set<String> scopes = Arrays.stream(scope.split("\\s+")).collect(Collectors.toSet());
    return scopes.contains("launch/patient")
        || scopes.stream()
            .flatMap(s -> SmartScope.parse(s).stream())
            .anyMatch(s -> s.level() == SmartScope.Level.PATIENT);
  }
}
