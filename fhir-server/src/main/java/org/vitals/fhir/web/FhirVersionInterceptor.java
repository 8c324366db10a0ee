package org.vitals.fhir.web;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses requests that ask for another FHIR version than R4 (4.0) through the {@code fhirVersion}
 * MIME parameter (FHIR R4 §3.1.0.1.4 "Version parameter"): 415 when the body is of another version,
 * 406 when the client accepts only another version.
 */
@Interceptor
public class FhirVersionInterceptor {

  private static final Pattern FHIR_VERSION =
      Pattern.compile("fhirVersion\\s*=\\s*\"?([0-9.]+)\"?", Pattern.CASE_INSENSITIVE);

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
  public boolean check(HttpServletRequest request) {
    String contentType = request.getContentType();
    String declared = version(contentType);
    if (declared != null && !isR4(declared)) {
      throw new VersionException(
          415,
          "This server speaks FHIR R4 (4.0); the request body declares fhirVersion="
              + declared
              + ". Send R4 content or leave out the fhirVersion parameter.");
    }
    String accept = request.getHeader("Accept");
    if (accept != null && accept.toLowerCase(Locale.ROOT).contains("fhirversion")) {
      boolean anyR4 = false;
      for (String part : accept.split(",")) {
        String v = version(part);
        if (v == null || isR4(v)) {
          anyR4 = true;
        }
      }
      if (!anyR4) {
        throw new VersionException(
            406,
            "This server speaks FHIR R4 (4.0); the Accept header asks only for "
                + accept.trim()
                + ".");
      }
    }
    return true;
  }

  private static String version(String mimeType) {
    if (mimeType == null) {
      return null;
    }
    Matcher m = FHIR_VERSION.matcher(mimeType);
    return m.find() ? m.group(1) : null;
  }

  private static boolean isR4(String version) {
    return version.equals("4.0") || version.startsWith("4.0.");
  }

  /** A 406 or 415 with an OperationOutcome, which HAPI has no dedicated exception for. */
  static final class VersionException extends BaseServerResponseException {
    VersionException(int status, String message) {
      super(status, message);
    }
  }
}
