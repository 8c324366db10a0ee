package org.vitals.fhir.security;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which requested scopes a registered client may be granted. Context and identity scopes must be
 * registered as they are; resource scopes must fall under a registered ceiling. Apps may not ask
 * for {@code system/} scopes; backend services may ask for nothing else.
 */
public final class ScopePolicy {

  /** Scopes that carry no data access of their own (SMART App Launch 2.2, OpenID Connect). */
  public static final Set<String> CONTEXT_SCOPES =
      Set.of(
          "launch",
          "launch/patient",
          "launch/encounter",
          "openid",
          "fhirUser",
          "profile",
          "offline_access",
          "online_access");

  private ScopePolicy() {}

  /** Empty when every scope may be granted, else the first refused scope and why. */
  public static Optional<String> refusedForApp(
      Collection<String> registered, Collection<String> requested) {
    for (String scope : requested) {
      Optional<SmartScope> resource = SmartScope.parse(scope);
      if (resource.isPresent()) {
        if (resource.get().level() == SmartScope.Level.SYSTEM) {
          return Optional.of(scope + ": system scopes are for backend services only");
        }
        if (!covered(registered, resource.get())) {
          return Optional.of(scope + ": not registered for this client");
        }
      } else if (!CONTEXT_SCOPES.contains(scope) || !registered.contains(scope)) {
        return Optional.of(scope + ": unknown or not registered for this client");
      }
    }
    return Optional.empty();
  }

  /** As {@link #refusedForApp} for a backend service: {@code system/} scopes only, at least one. */
  public static Optional<String> refusedForBackend(
      Collection<String> registered, Collection<String> requested) {
    if (requested.isEmpty()) {
      return Optional.of("scope is required (e.g. system/Observation.rs)");
    }
    for (String scope : requested) {
      Optional<SmartScope> resource = SmartScope.parse(scope);
      if (resource.isEmpty() || resource.get().level() != SmartScope.Level.SYSTEM) {
        return Optional.of(scope + ": backend services get system/ scopes only");
      }
      if (!covered(registered, resource.get())) {
        return Optional.of(scope + ": not registered for this client");
      }
    }
    return Optional.empty();
  }

  private static boolean covered(Collection<String> registered, SmartScope requested) {
    List<SmartScope> ceilings =
        registered.stream().flatMap(s -> SmartScope.parse(s).stream()).toList();
    return ceilings.stream().anyMatch(c -> c.covers(requested));
  }
}
