package io.fedsearch.web.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Closes the connection once a request that said {@code Connection: close} has been answered, as RFC 9112 §9.6
 * requires. Helidon 4.2 marks such an answer {@code Connection: close} but then waits for the next request on the
 * connection, so a client that never closes its side holds a connection until the idle timeout.
 */
final class CloseWhenAsked implements Filter {
  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    chain.proceed();
    if (res.isSent() && req.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
      // Past every error handler to the connection, which Helidon then closes; the answer is already written.
      throw new CloseConnectionException("the client asked to close the connection after this request");
    }
  }
}
