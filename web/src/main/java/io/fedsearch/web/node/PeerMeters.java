package io.fedsearch.web.node;

import io.fedsearch.federation.query.PeerStanding;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-peer meters read from {@link PeerStanding} at scrape time: answers, failures, timeouts, forged entries and
 * busy refusals (counters), standing score and latency (gauges). The label set is capped: the first
 * {@link #MAX_PEERS} peers seen, in order of traffic at the scrape that first saw them, keep their own label for
 * the node's life (so each counter only grows); any later peer is summed into {@code peer="other"}. Peers are few
 * in a federation; the cap only stops a flood of peer ids from growing the scrape without bound.
 */
final class PeerMeters {
  static final int MAX_PEERS = 16;
  static final String OTHER = "other";
  /** Peer ids remembered with their label: more only happens under churn, and they are all "other" anyway. */
  static final int MAX_REMEMBERED = 10_000;
  private static final String[] COUNTERS = {"answers", "failures", "timeouts", "forged", "busy"};

  private final MeterRegistry registry;
  /** Peer id → label; written only by {@link #refresh} (scrapes are serialised by the caller). */
  private final Map<String, String> labels = new HashMap<>();
  private final Set<String> registered = new HashSet<>();
  /** Label → totals as of the last refresh: [answers, failures, timeouts, forged, busy, score, latency ms]. */
  private volatile Map<String, double[]> totals = Map.of();

  PeerMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  synchronized void refresh(List<PeerStanding.Record> records) {
    List<PeerStanding.Record> byTraffic = records.stream()
        .sorted((a, b) -> Long.compare(traffic(b), traffic(a))).toList();
    Map<String, double[]> next = new HashMap<>();
    Map<String, Integer> counted = new HashMap<>();
    for (PeerStanding.Record r : byTraffic) {
      String id = r.peer().toString();
      String label = labels.get(id);
      if (label == null) {
        label = labels.size() < MAX_PEERS ? id : OTHER;
        if (labels.size() < MAX_REMEMBERED) { // beyond that, unseen ids are "other" without being remembered
          labels.put(id, label);
        }
        if (registered.add(label)) {
          register(label, r.platform());
        }
      }
      double[] t = next.computeIfAbsent(label, l -> new double[COUNTERS.length + 2]);
      t[0] += r.answers();
      t[1] += r.failures();
      t[2] += r.timeouts();
      t[3] += r.forged();
      t[4] += r.busy();
      // score and latency of "other": the mean of its peers
      int n = counted.merge(label, 1, Integer::sum);
      t[5] += (r.score() - t[5]) / n;
      t[6] += (r.latencyMs() - t[6]) / n;
    }
    totals = next;
  }

  private static long traffic(PeerStanding.Record r) {
    return r.answers() + r.failures() + r.timeouts() + r.busy();
  }

  private void register(String label, String platform) {
    String p = platform == null || label.equals(OTHER) ? "" : platform;
    for (int i = 0; i < COUNTERS.length; i++) {
      int at = i;
      FunctionCounter.builder("fedsearch_peer_" + COUNTERS[i] + "_total", this, m -> m.value(label, at))
          .description("Per-peer " + COUNTERS[i] + " (PeerStanding)").tag("peer", label).tag("platform", p)
          .register(registry);
    }
    Gauge.builder("fedsearch_peer_standing", this, m -> m.value(label, 5))
        .description("Per-peer standing score, 0 (distrusted) to 1").tag("peer", label).tag("platform", p)
        .register(registry);
    Gauge.builder("fedsearch_peer_latency_seconds", this, m -> m.value(label, 6) / 1000.0)
        .description("Per-peer smoothed answer latency").tag("peer", label).tag("platform", p).register(registry);
  }

  private double value(String label, int index) {
    double[] t = totals.get(label);
    return t == null ? 0 : t[index];
  }
}
