package io.fedsearch.web.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client sends (broken framing, conflicting headers)
 * and for seeing exactly what the server answers, headers included, and whether it then closes the connection.
 * Every read has a deadline: a server that neither answers nor closes shows up as {@link Reply#timedOut()}.
 */
final class RawHttp {
  /** What came back: the status (0 when nothing did), headers (lower-case names), body, and how it ended. */
  record Reply(int status, Map<String, String> headers, String body, boolean closed, boolean timedOut) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {}

  /**
   * Sends {@code request} (bytes as given), then reads one response; when {@code awaitClose}, afterwards waits up
   * to {@code readTimeoutMs} more for the server to close the connection.
   */
  static Reply exchange(int port, byte[] request, int readTimeoutMs, boolean awaitClose) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(readTimeoutMs);
      OutputStream out = s.getOutputStream();
      // Written beside the reading, in pieces: a server that answers before it read everything (an oversized body)
      // is heard while the rest is still going out, and a write it refuses by closing ends the writer quietly.
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          for (int off = 0; off < request.length; off += 16 * 1024) {
            out.write(request, off, Math.min(16 * 1024, request.length - off));
          }
          out.flush();
        } catch (IOException e) {
          // closed by the server: what it answered still counts
        }
      });
      InputStream in = s.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      boolean timedOut = false;
      boolean closed = false;
      try {
        int c;
        while ((c = in.read()) != -1) {
          head.write(c);
          byte[] b = head.toByteArray();
          int n = b.length;
          if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n') {
            break;
          }
        }
        closed = c == -1;
      } catch (SocketTimeoutException e) {
        timedOut = true;
      } catch (IOException e) {
        closed = true; // reset by the server
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      if (text.isEmpty()) {
        writer.interrupt();
        return new Reply(0, Map.of(), "", closed, timedOut);
      }
      String[] lines = text.split("\r\n");
      int status = lines[0].startsWith("HTTP/1.") ? Integer.parseInt(lines[0].substring(9, 12)) : 0;
      Map<String, String> headers = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (!closed && !timedOut) {
        try {
          String length = headers.get("content-length");
          if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
          }
          // Whatever else arrives until the server closes (or the deadline passes) is not part of this reply.
          closed = awaitClose && in.read() == -1;
        } catch (SocketTimeoutException e) {
          closed = false;
        } catch (IOException e) {
          closed = true;
        }
      }
      writer.interrupt();
      return new Reply(status, headers, body.toString(StandardCharsets.UTF_8), closed, timedOut);
    }
  }

  static Reply exchange(int port, String request, int readTimeoutMs, boolean awaitClose) throws IOException {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), readTimeoutMs, awaitClose);
  }
}
