package io.fedsearch.web.http;

import io.fedsearch.federation.payments.economics.EconomicsReader;
import io.fedsearch.federation.payments.economics.HubFees;
import io.fedsearch.federation.query.EntryFetch;
import io.fedsearch.web.node.FatalErrors;
import io.fedsearch.web.node.NodeMetrics;
import io.fedsearch.web.node.NodeReadiness;
import io.fedsearch.web.node.RunningNode;
import io.fedsearch.web.ui.UiRoutes;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's HTTP face (Helidon SE, functional routing). Binds to the given host (127.0.0.1 by default); every
 * error is JSON naming what is wrong, never a stack trace.
 */
public final class NodeServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NodeServer.class.getName());
  /** Largest request body: a JSON Lines import of this size takes seconds; larger catalogs go in several posts. */
  public static final long DEFAULT_MAX_BODY = 64L * 1024 * 1024;

  private final WebServer server;

  private NodeServer(WebServer server) {
    this.server = server;
  }

  public static NodeServer start(RunningNode node, String host, int port, long maxBody) {
    AdminAuth admin = new AdminAuth(node.local().directory().adminToken());
    WebServer server = WebServer.builder()
        .host(host)
        .port(port)
        .maxPayloadSize(maxBody)
        // HTTP/1.1 only, and only with the framing check: a second, discovered HTTP/1 configuration would serve
        // some connections without it.
        .protocolsDiscoverServices(false)
        .addProtocol(Http1Config.builder().addReceiveListener(new FramingCheck()).build())
        .directHandlers(TransportErrors.all())
        .addFeature(ObserveFeature.builder()
            .endpoint("/")
            // /health/live: the process answers; /health/ready: index, payments journal and libp2p work (503 when
            // not); /health: both.
            .addObserver(HealthObserver.builder().details(true)
                .addHealthChecks(new NodeReadiness(node).checks()).build())
            .build())
        .routing(r -> routing(r, node, admin))
        .build()
        .start();
    return new NodeServer(server);
  }

  /** The platform whose node key is {@code hex}: this node's own, or a peer's as its answers named it. */
  private static java.util.Optional<String> platformName(RunningNode node, String hex) {
    if (node.local().key().publicKey().hex().equalsIgnoreCase(hex)) {
      return java.util.Optional.of(node.local().directory().platform());
    }
    return node.federation().search().standing().all().stream()
        .filter(r -> r.platform() != null && !r.platform().isEmpty()
            && r.peer().publicKey().map(k -> k.hex().equalsIgnoreCase(hex)).orElse(false))
        .map(io.fedsearch.federation.query.PeerStanding.Record::platform).findFirst();
  }

  private static void routing(HttpRouting.Builder r, RunningNode node, AdminAuth admin) {
    NodeApi info = new NodeApi(node);
    SignalsApi signals = new SignalsApi(node.privacy());
    ReputationApi reputation = new ReputationApi(node.reputation(), key -> platformName(node, key));
    PaymentsApi payments = new PaymentsApi(node, admin);
    SearchApi search = new SearchApi(node);
    EntriesApi.RemoteEntries remote = cid -> {
      long t0 = System.nanoTime();
      var found = node.federation().entries().fetch(cid, node.federation().peers().known(), EntryFetch.DEADLINE);
      node.metrics().entryFetched(found.isPresent(), System.nanoTime() - t0);
      return found;
    };
    // EntriesApi holds no state of its own: the pages' views and the route use two handles on the same node.
    EntriesApi entries = new EntriesApi(node.local(), admin, remote);
    EconomicsApi economics = new EconomicsApi(new EconomicsReader(node.payments(), HubFees.NONE_JOURNALED,
        java.time.Clock.systemUTC()), admin);
    NodeViews views = new NodeViews(search, info, signals, reputation, payments, entries, economics);
    HubApi hub = new HubApi(node);
    // /metrics: the node's one registry (NodeMetrics) in Prometheus text format, state gauges read at the scrape.
    r.get("/metrics", (req, res) -> {
      res.headers().contentType(io.helidon.http.HttpMediaType.create(NodeMetrics.contentType()));
      res.send(node.metrics().scrape());
    });
    r.get("/api/search", search::handle)
        .get("/api/node", info::info)
        .get("/api/peers", info::peers)
        .register("/api/entries", new EntriesApi(node.local(), admin, remote))
        .get("/api/signals", signals::release)
        .get("/api/privacy/budget", signals::budget)
        .get("/api/reputation", reputation::top)
        .get("/api/reputation/{+creator}", reputation::creator) // names may hold a "/"
        .post("/api/attestations/verify", reputation::verify)
        .get("/api/wallet", payments::wallet)
        .get("/api/channels", payments::channels)
        .get("/api/payouts", payments::payouts)
        .post("/api/payouts/holds", payments::hold)
        .get("/api/outbox", payments::outbox)
        .post("/api/outbox/submit", payments::submit)
        .get("/api/economics", economics::handle)
        .get("/api/hub", hub::terms)
        .post("/api/hub/purchases", hub::purchase)
        .get("/api/hub/purchases/{request_id}", hub::status)
        .get("/api/hub/channels/{channel}/settlement", hub::settlement)
        .error(ApiException.class, (req, res, e) -> sendError(res, e.status(), e.code(), e.getMessage()))
        // Out of memory (or a JVM fault) on a request thread: Helidon catches it and would answer 500 and go on;
        // stop instead. Not for a stack overflow: that one unwound cleanly, and halting on it would hand any client
        // whose input recurses deeply enough a switch that stops the node.
        .error(OutOfMemoryError.class, (req, res, e) -> FatalErrors.halt(Thread.currentThread(), e))
        .error(InternalError.class, (req, res, e) -> FatalErrors.halt(Thread.currentThread(), e))
        .error(Exception.class, (req, res, e) -> {
          LOG.log(Level.WARNING, "request " + req.prologue().method() + " " + req.path().path() + " failed", e);
          sendError(res, 500, "internal", "internal error; the node logged the details");
        });
    // The product face: security headers and the per-client rate limit on every route, suggestions, and the HTML
    // pages with the OpenAPI document (registered last: their catch-all answers unknown non-API paths with a 404 page).
    RateLimiter limiter = RateLimiter.configured();
    r.addFilter(new CloseWhenAsked())
        .addFilter((chain, req, res) -> {
          chain.proceed();
          node.metrics().httpResponse(res.status().code()); // after the route: the status it sent
        })
        .addFilter(new SecurityHeaders())
        .addFilter(limiter)
        .get("/api/suggest",
            new SuggestApi(node.federation().titles(), () -> node.federation().peers().known())::handle)
        .register(new UiRoutes(node, views)) // serves /openapi: a page for browsers, the YAML for programs
        // Reached only by API paths no route serves (the pages' catch-all passes them on): a JSON 404, not a 500.
        .error(io.helidon.http.NotFoundException.class, (req, res, e) -> sendError(res, 404, "no_route",
            "no API route " + req.prologue().method().text() + " " + req.path().path()
                + "; the routes are listed at /openapi"));
  }

  /** An error handler's answer: Helidon reset the response before the handler ran, so the headers go on again. */
  private static void sendError(ServerResponse res, int status, String code, String message) {
    SecurityHeaders.set(res.headers());
    Json.send(res, status, Json.error(status, code, message));
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
  }
}
