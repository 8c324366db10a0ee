package org.vitals.fhir.security.enforcement;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import org.vitals.fhir.security.SmartAccessToken;

/**
 * HAPI's authorization interceptor fed with the rules of the request's SMART token; the rules are
 * built once per token and kept with it.
 */
public class SmartAuthorizationInterceptor extends AuthorizationInterceptor {

  private static final List<IAuthRule> NO_TOKEN =
      new RuleBuilder().allow().metadata().andThen().denyAll("no access token").build();

  public SmartAuthorizationInterceptor() {
    super(PolicyEnum.DENY);
  }

  @Override
  public List<IAuthRule> buildRuleList(RequestDetails request) {
    SmartAccessToken token = CurrentToken.of(request);
    if (token == null) {
      return NO_TOKEN;
    }
    return token.rules(() -> SmartRules.of(token));
  }
}
