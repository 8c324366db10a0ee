package org.vitals.fhir.web;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies above the configured size with 413 and an OperationOutcome before any of
 * it is parsed, so an oversized Bundle cannot exhaust the heap.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

  private final FhirContext fhirContext;
  private final long maxBytes;

  public RequestSizeLimitFilter(FhirContext fhirContext, long maxBytes) {
    this.fhirContext = fhirContext;
    this.maxBytes = maxBytes;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long length = request.getContentLengthLong();
    if (length > maxBytes) {
      refuse(
          response,
          "The request body has "
              + length
              + " bytes; this server accepts at most "
              + maxBytes
              + " (VITALS_MAX_REQUEST_BYTES). Split the Bundle into smaller transactions.");
      return;
    }
    // A body without Content-Length (chunked) is counted as it is read instead.
    chain.doFilter(length < 0 ? new LimitedBodyRequest(request, maxBytes) : request, response);
  }

  /** Fails the read once more than the limit has been read from a body of unknown length. */
  private static final class LimitedBodyRequest extends HttpServletRequestWrapper {
    private final long maxBytes;

    LimitedBodyRequest(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      ServletInputStream in = super.getInputStream();
      return new ServletInputStream() {
        private long read;

        @Override
        public int read() throws IOException {
          int b = in.read();
          if (b >= 0 && ++read > maxBytes) {
            throw tooLarge();
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = in.read(buf, off, len);
          if (n > 0 && (read += n) > maxBytes) {
            throw tooLarge();
          }
          return n;
        }

        private IOException tooLarge() {
          return new IOException(
              "The request body exceeds " + maxBytes + " bytes (VITALS_MAX_REQUEST_BYTES)");
        }

        @Override
        public boolean isFinished() {
          return in.isFinished();
        }

        @Override
        public boolean isReady() {
          return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
          in.setReadListener(listener);
        }
      };
    }
  }

  private void refuse(HttpServletResponse response, String message) throws IOException {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.TOOLONG)
        .setDiagnostics(message);
    response.setStatus(413);
    response.setContentType("application/fhir+json;charset=utf-8");
    response
        .getOutputStream()
        .write(
            fhirContext
                .newJsonParser()
                .encodeResourceToString(outcome)
                .getBytes(StandardCharsets.UTF_8));
  }
}
