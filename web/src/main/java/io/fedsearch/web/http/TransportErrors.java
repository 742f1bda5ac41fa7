package io.fedsearch.web.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.util.Locale;

/**
 * What Helidon answers by itself — a request line or header it cannot parse, a URI or body over the limits, a
 * framing error found before or while routing — in the API's shape: a JSON error with the security headers, never
 * Helidon's bare HTML-ish text. Helidon's own safe message is kept (it names what was wrong); it is JSON-escaped and
 * sent as {@code application/json} with sniffing off, so nothing in it can run in a browser.
 */
final class TransportErrors implements DirectHandler {
  private TransportErrors() {}

  /** This handler for every event type. */
  static DirectHandlers all() {
    DirectHandlers.Builder b = DirectHandlers.builder();
    TransportErrors handler = new TransportErrors();
    for (EventType type : EventType.values()) {
      b.addHandler(type, handler);
    }
    return b.build();
  }

  @Override
  public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
      ServerResponseHeaders headers, String message) {
    SecurityHeaders.set(headers);
    headers.set(HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8"));
    headers.set(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"));
    String code = status.reasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    String text = message == null || message.isBlank() ? status.reasonPhrase() : message;
    try {
      byte[] body = Json.MAPPER.writeValueAsBytes(Json.error(status.code(), code, text));
      return TransportResponse.builder().status(status).headers(headers).entity(body).build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an error", e);
    }
  }
}
