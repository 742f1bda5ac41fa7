package io.fedsearch.web.cli.wallet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * An HTTP relay between the wallet and the hub that can lose a purchase: {@link Mode#DROP_REQUEST} cuts the
 * connection before the hub sees {@code POST /api/hub/purchases}; {@link Mode#DROP_ANSWER} lets the hub decide it and
 * cuts the connection before the answer reaches the wallet (a crash or timeout on either side looks the same to the
 * wallet); {@link Mode#OVERSTATE} answers in the hub's place that the purchase needs a claim of the whole channel
 * (a hub pulling value it is not owed); {@link Mode#HOLD} keeps the purchase until {@link #release} and then relays it
 * (so a test can kill the wallet while its request is on the wire). Everything else is relayed as is.
 */
final class LossyHubLink implements AutoCloseable {
  enum Mode { PASS, DROP_REQUEST, DROP_ANSWER, OVERSTATE, HOLD }

  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private volatile String target;
  volatile Mode mode = Mode.PASS;
  /** Counted down when {@link Mode#HOLD} holds a purchase. */
  final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
  private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
  /** The cumulative claim {@link Mode#OVERSTATE} asks for. */
  volatile long overstated;

  LossyHubLink(String target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::relay);
    server.start();
  }

  /** Lets a held purchase go on to the hub. */
  void release() {
    released.countDown();
  }

  /** Relays to another hub address from now on (the same hub restarted on another port). */
  void retarget(String url) {
    this.target = url;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void relay(HttpExchange ex) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    boolean purchase = ex.getRequestMethod().equals("POST") && ex.getRequestURI().getPath().equals("/api/hub/purchases");
    Mode m = purchase ? mode : Mode.PASS;
    if (m == Mode.OVERSTATE) {
      byte[] err = ("{\"error\":{\"code\":\"over_balance\",\"message\":\"sign more\",\"needed_claim\":"
          + overstated + "}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(402, err.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(err);
      }
      return;
    }
    if (m == Mode.HOLD) {
      held.countDown();
      try {
        released.await(120, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (m == Mode.DROP_REQUEST) {
      ex.close(); // no status line: the wallet's connection ends without an answer
      return;
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI())).timeout(Duration.ofSeconds(60));
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type != null) {
      b.header("Content-Type", type);
    }
    b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<byte[]> r;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.close();
      return;
    }
    if (m == Mode.DROP_ANSWER) {
      ex.close(); // the hub decided; the answer is lost
      return;
    }
    r.headers().firstValue("Content-Type").ifPresent(t -> ex.getResponseHeaders().add("Content-Type", t));
    ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(r.body());
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
