package org.vitals.fhir.security;

/** A bearer token that may not be used: expired, forged, for another server, malformed. */
public class InvalidAccessTokenException extends RuntimeException {
  public InvalidAccessTokenException(String reason) {
    super(reason);
  }
}
