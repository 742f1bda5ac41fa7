package io.fedsearch.web.http;

import io.helidon.http.HeaderValues;
import io.helidon.http.RequestException;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body whose framing failure ends the exchange. Helidon parses chunk sizes only as a route reads the
 * body, and reports a broken one (not hex, 2^64, beyond the int range) or a body over the size limit as an
 * exception from {@code read} — which the routes would answer 500 (or 413) while the connection stayed open, its
 * remaining bytes read as the next request. Here such a failure is answered at once with a JSON 400 (413 for an
 * oversized body) and {@code Connection: close}, and the connection is then closed.
 *
 * <p>Callers read the body whole before acting on it, so the answer can say truthfully that nothing was done. A
 * connection that merely breaks (an {@link IOException}) is passed on as it is.
 */
public final class RequestBody extends FilterInputStream {
  private final ServerRequest req;
  private final ServerResponse res;

  private RequestBody(ServerRequest req, ServerResponse res) {
    super(req.content().inputStream());
    this.req = req;
    this.res = res;
  }

  /** The body of {@code req}; a framing failure while reading it answers through {@code res} and closes. */
  public static InputStream open(ServerRequest req, ServerResponse res) {
    return new RequestBody(req, res);
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (RequestException | IllegalArgumentException e) {
      throw refuse(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (RequestException | IllegalArgumentException e) {
      throw refuse(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (RequestException | IllegalArgumentException e) {
      throw refuse(e);
    }
  }

  private CloseConnectionException refuse(RuntimeException e) {
    boolean tooLarge = e instanceof RequestException re && re.status().code() == 413;
    int status = tooLarge ? 413 : 400;
    String message = tooLarge
        ? "request body larger than this node accepts (" + req.listenerContext().config().maxPayloadSize()
            + " bytes); nothing of it was applied: split it into several requests"
        : "malformed request body framing (" + (e instanceof RequestException re && re.safeMessage()
            ? re.getMessage() : "a chunk size that is not a hexadecimal number within range")
            + "); nothing of it was applied";
    if (!res.isSent()) {
      res.header(HeaderValues.CONNECTION_CLOSE);
      SecurityHeaders.set(res.headers());
      Json.send(res, status, Json.error(status, tooLarge ? "body_too_large" : "bad_framing", message));
    }
    // Bubbles past every error handler to the connection, which Helidon then closes.
    return new CloseConnectionException(message, e);
  }
}
