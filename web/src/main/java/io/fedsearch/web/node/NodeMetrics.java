package io.fedsearch.web.node;

import io.fedsearch.federation.query.FederatedResult;
import io.fedsearch.indexer.importer.ImportReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's meters: one Micrometer Prometheus registry whose scrape is {@code /metrics}. Two kinds of meter:
 * counters and timers at the few hot places (search, claim acceptance, imports, reputation recompute), resolved
 * once so that recording allocates nothing; and gauges over the services' own state (peers, outbox, channels,
 * payouts, privacy budget), read once per scrape by {@link NodeState}. Every label set is bounded: modes, merges,
 * outcomes and rejection reasons are enums, peers and channels are capped ({@link PeerMeters}, {@link NodeState}),
 * a hub's codes are a fixed set ({@link HubMeters}).
 *
 * <p>Names follow Prometheus conventions (base units, {@code _total} counters); {@code ops/dashboard.json} and
 * {@code ops/alerts.yml} beside this module's resources use them, and {@code OpsFilesTest} checks that every name
 * they use is in a real scrape.
 */
public final class NodeMetrics implements AutoCloseable {
  /** Search latency buckets: what a user notices, from a cached answer to a deadline. */
  private static final Duration[] SEARCH_BUCKETS = durations(1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500,
      1000, 1500, 2000, 5000);
  private static final Duration[] ACCEPT_BUCKETS = durations(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000);
  private static final String[] NODE_OUTCOMES = {"asked", "answered", "skipped", "failed"};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** [mode][merge]: local (merge "none"), federated exact, federated rrf. */
  private final Timer searchLocal;
  private final Timer searchExact;
  private final Timer searchRrf;
  private final DistributionSummary[] nodes = new DistributionSummary[NODE_OUTCOMES.length];
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private final Timer acceptLatency;
  private final Counter claimsAccepted;
  /** Rejections by reason: reasons are an enum's wire names, so the map stays small. */
  private final Map<String, Counter> claimsRejected = new ConcurrentHashMap<>();
  private final Counter importedLines;
  private final Map<String, Counter> importedEntries = new ConcurrentHashMap<>();
  private final Timer importTime;
  private final Timer reputationRecompute;
  /** Entries this node looked up on its peers (permalinks, a hub's purchases): found or not. */
  private final Timer entryFound;
  private final Timer entryNotFound;
  private final Counter httpRequests2xx;
  private final Counter httpRequests4xx;
  private final Counter httpRequests5xx;
  private final Counter httpRequestsOther;
  private volatile NodeState state;
  /** A hub's meters, when the node is one. */
  private volatile HubMeters hub;
  /** Listens to the JVM's GC notifications until closed (several nodes can share one JVM: tests, the demo). */
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public NodeMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    searchLocal = searchTimer("local", "none");
    searchExact = searchTimer("federated", "exact");
    searchRrf = searchTimer("federated", "rrf");
    for (int i = 0; i < NODE_OUTCOMES.length; i++) {
      nodes[i] = DistributionSummary.builder("fedsearch_search_nodes")
          .description("Nodes per federated query, by outcome (asked = answered + skipped + failed)")
          .tag("outcome", NODE_OUTCOMES[i]).register(registry);
    }
    cacheHits = Counter.builder("fedsearch_search_cache_total").description("Federated result cache lookups")
        .tag("result", "hit").register(registry);
    cacheMisses = Counter.builder("fedsearch_search_cache_total").description("Federated result cache lookups")
        .tag("result", "miss").register(registry);
    acceptLatency = Timer.builder("fedsearch_claim_accept").description("Purchase claims: arrival to durable")
        .serviceLevelObjectives(ACCEPT_BUCKETS).register(registry);
    claimsAccepted = claimCounter("accepted", "none");
    importedLines = Counter.builder("fedsearch_import_lines_total").description("JSON Lines read by imports")
        .register(registry);
    importTime = Timer.builder("fedsearch_import").description("Import runs (entries signed and committed)")
        .register(registry);
    reputationRecompute = Timer.builder("fedsearch_reputation_recompute")
        .description("Reputation recomputation runs").register(registry);
    entryFound = entryFetchTimer("found");
    entryNotFound = entryFetchTimer("not_found");
    httpRequests2xx = httpCounter("2xx");
    httpRequests4xx = httpCounter("4xx");
    httpRequests5xx = httpCounter("5xx");
    httpRequestsOther = httpCounter("other");
  }

  /** Starts reading {@code node}'s state on every scrape (gauges, peer and payments counters). */
  public void watch(RunningNode node) {
    this.state = new NodeState(node, registry);
    node.hub().ifPresent(h -> {
      HubMeters m = new HubMeters(registry, h);
      h.listen(m);
      this.hub = m;
    });
  }

  /**
   * One scrape at a time, so gauges see one reading. A lock, not a monitor: the work reads the disk (or
   * waits on a process), which inside {@code synchronized} would pin a virtual thread.
   */
  private final java.util.concurrent.locks.ReentrantLock scraping = new java.util.concurrent.locks.ReentrantLock();

  /** The Prometheus text exposition: state gauges refreshed first, so one scrape is one consistent reading. */
  public String scrape() {
    scraping.lock();
    try {
      NodeState s = state;
      if (s != null) {
        s.refresh();
      }
      HubMeters h = hub;
      if (h != null) {
        try {
          h.refresh();
        } catch (RuntimeException e) { // as NodeState's parts: keep the last values, never fail the scrape
          java.util.logging.Logger.getLogger(NodeMetrics.class.getName()).warning(
              "event=metrics_read_failed part=hub error=\"" + e + "\"");
        }
      }
      return registry.scrape();
    } finally {
      scraping.unlock();
    }
  }

  /** Stops listening to the JVM (GC notifications) and clears the registry. */
  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  /** The content type of {@link #scrape()}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  /** A local search that took {@code nanos}. */
  public void localSearch(long nanos) {
    searchLocal.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** A federated search: its latency, and how each node asked fared. */
  public void federatedSearch(FederatedResult r, boolean rrf, long nanos) {
    (rrf ? searchRrf : searchExact).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    (r.cached() ? cacheHits : cacheMisses).increment();
    int answered = 0;
    int skipped = 0;
    int failed = 0;
    for (FederatedResult.NodeStatus n : r.nodes()) {
      if (FederatedResult.NodeStatus.OK.equals(n.status())) {
        answered++;
      } else if (FederatedResult.NodeStatus.SKIPPED.equals(n.status())) {
        skipped++;
      } else {
        failed++;
      }
    }
    nodes[0].record(answered + skipped + failed);
    nodes[1].record(answered);
    nodes[2].record(skipped);
    nodes[3].record(failed);
  }

  /** A purchase claim's outcome: {@code rejection} null when accepted, else the reason's wire name. */
  public void claim(String rejection, long nanos) {
    if (rejection == null) {
      claimsAccepted.increment();
      acceptLatency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    } else {
      claimsRejected.computeIfAbsent(rejection, r -> claimCounter("rejected", r)).increment();
    }
  }

  /** An import run that finished. */
  public void imported(ImportReport r) {
    importedLines.increment(r.lines());
    entries("added", r.added());
    entries("replaced", r.replaced());
    entries("unchanged", r.unchanged());
    entries("deleted", r.deleted());
    entries("rejected", r.rejected());
    importTime.record(r.millis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** A reputation recomputation that took {@code nanos}. */
  public void reputationRecomputed(long nanos) {
    reputationRecompute.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** An entry this node does not hold, asked of its peers for {@code nanos}: found or not. */
  public void entryFetched(boolean found, long nanos) {
    (found ? entryFound : entryNotFound).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** An HTTP response sent with {@code status}. */
  public void httpResponse(int status) {
    (status >= 200 && status < 300 ? httpRequests2xx : status >= 400 && status < 500 ? httpRequests4xx
        : status >= 500 ? httpRequests5xx : httpRequestsOther).increment();
  }

  private void entries(String outcome, long n) {
    if (n > 0) {
      importedEntries.computeIfAbsent(outcome, o -> Counter.builder("fedsearch_import_entries_total")
          .description("Entries imported, by outcome").tag("outcome", o).register(registry)).increment(n);
    }
  }

  private Timer searchTimer(String mode, String merge) {
    return Timer.builder("fedsearch_search").description("Search latency as the API answered it")
        .tag("mode", mode).tag("merge", merge).serviceLevelObjectives(SEARCH_BUCKETS).register(registry);
  }

  private Timer entryFetchTimer(String outcome) {
    return Timer.builder("fedsearch_entry_fetch").description("Entries looked up on peers (not held here), by outcome")
        .tag("outcome", outcome).serviceLevelObjectives(SEARCH_BUCKETS).register(registry);
  }

  private Counter claimCounter(String outcome, String reason) {
    return Counter.builder("fedsearch_claims_total").description("Purchase claims, by outcome and rejection reason")
        .tag("outcome", outcome).tag("reason", reason.toLowerCase(Locale.ROOT)).register(registry);
  }

  private Counter httpCounter(String status) {
    return Counter.builder("fedsearch_http_requests_total").description("HTTP responses, by status class")
        .tag("status", status).register(registry);
  }

  private static Duration[] durations(long... millis) {
    Duration[] out = new Duration[millis.length];
    for (int i = 0; i < millis.length; i++) {
      out[i] = Duration.ofMillis(millis[i]);
    }
    return out;
  }
}
