package io.fedsearch.web.http;

import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Refuses a request whose headers do not say unambiguously where its body ends, before any route runs: a
 * {@code Content-Length} that is not one plain decimal number (negative, signed, hex, too long, or given twice with
 * different values — two readings of one message are how requests are smuggled past a proxy), a
 * {@code Transfer-Encoding} other than exactly {@code chunked}, or both headers at once (RFC 9112 §6.3). Helidon
 * would otherwise wait for a negative length's body forever, or read the first of two lengths.
 *
 * <p>Runs as an HTTP/1 receive listener: an exception from it is answered by {@link TransportErrors} (400) and the
 * connection is closed, since nothing after such a request can be trusted to start where the server thinks.
 * Malformed chunk sizes are only seen while a route reads the body; {@link RequestBody} handles those.
 */
final class FramingCheck implements Http1ConnectionListener {
  /** At most 18 digits: every such number fits a long, so no reading of it overflows. */
  private static final Pattern LENGTH = Pattern.compile("[0-9]{1,18}");

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    List<String> lengths = values(headers, HeaderNames.CONTENT_LENGTH);
    List<String> codings = values(headers, HeaderNames.TRANSFER_ENCODING);
    if (!codings.isEmpty()) {
      if (!lengths.isEmpty()) {
        throw refuse("both Content-Length and Transfer-Encoding are given; send one");
      }
      if (codings.size() != 1 || !codings.get(0).toLowerCase(Locale.ROOT).equals("chunked")) {
        throw refuse("Transfer-Encoding " + String.join(", ", codings) + " is not supported; only chunked is");
      }
    }
    if (lengths.size() > 1) {
      throw refuse("Content-Length is given " + lengths.size() + " times; send it once");
    }
    if (lengths.size() == 1 && !LENGTH.matcher(lengths.get(0)).matches()) {
      throw refuse("Content-Length must be a decimal number of bytes, got " + abbreviate(lengths.get(0)));
    }
  }

  /** Every value of the header, whether sent as several fields or as one comma-separated field. */
  private static List<String> values(Headers headers, io.helidon.http.HeaderName name) {
    List<String> out = new ArrayList<>();
    if (headers.contains(name)) {
      for (String field : headers.get(name).allValues()) {
        for (String v : field.split(",", -1)) {
          out.add(v.trim());
        }
      }
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  private static RequestException refuse(String message) {
    return RequestException.builder()
        .type(EventType.BAD_REQUEST)
        .status(Status.BAD_REQUEST_400)
        .message(message)
        .safeMessage(true)
        .setKeepAlive(false)
        .build();
  }
}
