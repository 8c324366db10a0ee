package org.vitals.gateway.security;

/** Where the gateway's FHIR client gets its bearer token (docs/decisions/0205). */
public interface AccessTokens {
  /** The token to send now; null sends none (a server with security off). */
  String token();

  /** The server answered 401 to the last token: get a new one next time. */
  void rejected();

  /** A line for the health endpoint (never the token itself). */
  String status();

  /**
   * Whether the token's scopes reach a resource type ({@code system/<type>.*} or {@code
   * system/*.*}); true when unknown (no token, a fixed token).
   */
  default boolean reaches(String resourceType) {
    return true;
  }

  /** No token (a FHIR server with {@code VITALS_SECURITY=off}). */
  AccessTokens NONE =
      new AccessTokens() {
        @Override
        public String token() {
          return null;
        }

        @Override
        public void rejected() {}

        @Override
        public String status() {
          return "no token configured";
        }
      };

  /** A fixed token ({@code VITALS_FHIR_TOKEN}), e.g. one minted by an operator for a test. */
  static AccessTokens fixed(String token) {
    return new AccessTokens() {
      @Override
      public String token() {
        return token;
      }

      @Override
      public void rejected() {}

      @Override
      public String status() {
        return "fixed token from VITALS_FHIR_TOKEN";
      }
    };
  }
}
