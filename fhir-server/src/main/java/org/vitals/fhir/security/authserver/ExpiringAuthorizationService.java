package org.vitals.fhir.security.authserver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Authorizations (codes, access and refresh tokens) in memory, found by token in O(1), and
 * forgotten once every token in them has expired. Spring's in-memory service scans all of them on
 * each lookup and keeps finished ones forever, which a backend client asking for a token every five
 * minutes would grow without end.
 */
final class ExpiringAuthorizationService implements OAuth2AuthorizationService {

  private static final Duration UNFINISHED = Duration.ofMinutes(15);

  private final Map<String, Entry> byId = new ConcurrentHashMap<>();
  private final Map<String, String> idByToken = new ConcurrentHashMap<>();
  private final AtomicInteger saves = new AtomicInteger();
  private final Clock clock;

  private record Entry(OAuth2Authorization authorization, Instant saved, List<String> tokens) {}

  ExpiringAuthorizationService(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void save(OAuth2Authorization authorization) {
    List<String> tokens = tokenValues(authorization);
    Entry previous =
        byId.put(authorization.getId(), new Entry(authorization, clock.instant(), tokens));
    if (previous != null) {
      previous.tokens().stream().filter(t -> !tokens.contains(t)).forEach(idByToken::remove);
    }
    tokens.forEach(t -> idByToken.put(t, authorization.getId()));
    if (saves.incrementAndGet() % 256 == 0) {
      purgeExpired();
    }
  }

  @Override
  public void remove(OAuth2Authorization authorization) {
    Entry entry = byId.remove(authorization.getId());
    if (entry != null) {
      entry.tokens().forEach(idByToken::remove);
    }
  }

  @Override
  public OAuth2Authorization findById(String id) {
    Entry entry = byId.get(id);
    return entry == null ? null : entry.authorization();
  }

  @Override
  public OAuth2Authorization findByToken(String token, OAuth2TokenType type) {
    String id = idByToken.get(token);
    Entry entry = id == null ? null : byId.get(id);
    if (entry == null) {
      return null;
    }
    OAuth2Authorization authorization = entry.authorization();
    return type == null || token.equals(value(authorization, type)) ? authorization : null;
  }

  int size() {
    return byId.size();
  }

  /** Drops authorizations none of whose tokens can still be used. */
  void purgeExpired() {
    Instant now = clock.instant();
    for (Entry entry : new ArrayList<>(byId.values())) {
      if (finished(entry, now)) {
        remove(entry.authorization());
      }
    }
  }

  private static boolean finished(Entry entry, Instant now) {
    OAuth2Authorization a = entry.authorization();
    List<OAuth2Authorization.Token<? extends OAuth2Token>> tokens = new ArrayList<>();
    if (a.getToken(OAuth2AuthorizationCode.class) != null) {
      tokens.add(a.getToken(OAuth2AuthorizationCode.class));
    }
    if (a.getAccessToken() != null) {
      tokens.add(a.getAccessToken());
    }
    if (a.getRefreshToken() != null) {
      tokens.add(a.getRefreshToken());
    }
    if (tokens.isEmpty()) {
      // Consent or pushed-request state only: a sign-in that was never completed.
      return entry.saved().plus(UNFINISHED).isBefore(now);
    }
    return tokens.stream()
        .allMatch(
            t ->
                t.isInvalidated()
                    || (t.getToken().getExpiresAt() != null
                        && t.getToken().getExpiresAt().isBefore(now)));
  }

  private static List<String> tokenValues(OAuth2Authorization a) {
    List<String> values = new ArrayList<>();
    for (OAuth2TokenType type : TYPES) {
      String value = value(a, type);
      if (value != null) {
        values.add(value);
      }
    }
    return values;
  }

  private static final List<OAuth2TokenType> TYPES =
      List.of(
          new OAuth2TokenType(OAuth2ParameterNames.STATE),
          new OAuth2TokenType(OAuth2ParameterNames.CODE),
          OAuth2TokenType.ACCESS_TOKEN,
          OAuth2TokenType.REFRESH_TOKEN,
          new OAuth2TokenType(OidcParameterNames.ID_TOKEN));

  private static String value(OAuth2Authorization a, OAuth2TokenType type) {
    switch (type.getValue()) {
      case OAuth2ParameterNames.STATE -> {
        return a.getAttribute(OAuth2ParameterNames.STATE);
      }
      case OAuth2ParameterNames.CODE -> {
        var code = a.getToken(OAuth2AuthorizationCode.class);
        return code == null ? null : code.getToken().getTokenValue();
      }
      case "access_token" -> {
        return a.getAccessToken() == null ? null : a.getAccessToken().getToken().getTokenValue();
      }
      case "refresh_token" -> {
        return a.getRefreshToken() == null ? null : a.getRefreshToken().getToken().getTokenValue();
      }
      case OidcParameterNames.ID_TOKEN -> {
        var idToken = a.getToken(org.springframework.security.oauth2.core.oidc.OidcIdToken.class);
        return idToken == null ? null : idToken.getToken().getTokenValue();
      }
      default -> {
        return null;
      }
    }
  }
}
