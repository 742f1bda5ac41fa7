package io.fedsearch.web.node;

import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.Netting;
import io.fedsearch.federation.payments.watch.ChannelMetrics;
import io.fedsearch.privacy.accounting.BudgetStatus;
import io.fedsearch.privacy.release.SignalRelease;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gauges over a running node's state, read once per scrape ({@link #refresh}) from the services that own it:
 * index size, connectivity (connected peers, index peers known and backed off, bootstrap addresses), peer standing
 * ({@link PeerMeters}), the settlement outbox, channels, payouts, netting, the group
 * commit, the privacy budget, signal release rows and reputation. Channels are reported as aggregates per role plus
 * the {@link #TOP_CHANNELS} soonest to run dry, by rank — never one series per channel (payer channels are one per
 * user), and no channel ids or counterparties: {@code /metrics} takes no token. A part that cannot be read keeps its last values and is logged; it never fails the scrape.
 */
final class NodeState {
  private static final Logger LOG = Logger.getLogger(NodeState.class.getName());
  static final int TOP_CHANNELS = 5;
  private static final String[] OUTBOX_STATUSES = {Outbox.PENDING, Outbox.SUBMITTED, Outbox.VALIDATED, Outbox.FAILED};
  private static final String[] ROLES = {"payer", "payee"};

  private enum G {
    INDEX_DOCS, OUTBOX_OLDEST_OPEN_AGE, PAYOUTS_DUE, PAYOUTS_HELD, PAYOUT_NODES_DUE, PAYOUT_NODES_HELD,
    NETTING_SAVED, NETTINGS, EPSILON_SPENT, EPSILON_LIFETIME, EPSILON_REMAINING, RELEASES, RELEASE_ROWS_CID,
    RELEASE_ROWS_CREATOR, REPUTATION_CREATORS, P2P_PEERS, BOOTSTRAP_ADDRESSES, INDEX_PEERS_KNOWN,
    INDEX_PEERS_BACKED_OFF
  }

  private final RunningNode node;
  private final PeerMeters peers;
  private final Map<G, Double> values = new EnumMap<>(G.class);
  private final Map<String, Double> outbox = new HashMap<>();
  /** Per role: [channels, live channels, remaining drops, unsettled drops, soonest exhaustion seconds]. */
  private final Map<String, double[]> channels = new HashMap<>();
  private final MultiGauge topChannels;
  private final MultiGauge topChannelsRemaining;

  NodeState(RunningNode node, MeterRegistry registry) {
    this.node = node;
    this.peers = new PeerMeters(registry);
    gauge(registry, "fedsearch_index_documents", "Documents in the Lucene index (entries and tombstones)",
        G.INDEX_DOCS);
    gauge(registry, "fedsearch_p2p_peers_connected", "Peers with an open libp2p connection", G.P2P_PEERS);
    gauge(registry, "fedsearch_p2p_bootstrap_addresses", "Bootstrap addresses this node was started with",
        G.BOOTSTRAP_ADDRESSES);
    Gauge.builder("fedsearch_index_peers", this, st -> st.value(G.INDEX_PEERS_KNOWN))
        .description("Index peers this node fans searches out to").tag("state", "known").register(registry);
    Gauge.builder("fedsearch_index_peers", this, st -> st.value(G.INDEX_PEERS_BACKED_OFF))
        .description("Index peers this node fans searches out to").tag("state", "backed_off").register(registry);
    for (String s : OUTBOX_STATUSES) {
      Gauge.builder("fedsearch_outbox_transactions", this, st -> st.outbox.getOrDefault(s, 0.0))
          .description("Settlement outbox rows by status").tag("status", s).register(registry);
    }
    gauge(registry, "fedsearch_outbox_oldest_open_age_seconds",
        "Age of the oldest outbox transaction not yet final (pending or submitted); 0 when none", G.OUTBOX_OLDEST_OPEN_AGE);
    String[] channelGauges = {"fedsearch_channels", "fedsearch_channels_live", "fedsearch_channel_remaining_drops",
        "fedsearch_channel_unsettled_drops", "fedsearch_channel_min_exhaustion_seconds"};
    String[] channelHelp = {"Channels by role", "Channels by role, neither closing nor closed",
        "Remaining balance summed over live channels", "Claimed but unsettled drops over live channels",
        "Soonest time to exhaustion over live channels at their spend rate (NaN when none is spending)"};
    for (String role : ROLES) {
      for (int i = 0; i < channelGauges.length; i++) {
        int at = i;
        Gauge.builder(channelGauges[i], this, st -> st.channel(role, at)).description(channelHelp[i])
            .tag("role", role).register(registry);
      }
    }
    topChannels = MultiGauge.builder("fedsearch_channel_exhaustion_seconds")
        .description("The " + TOP_CHANNELS + " live channels per role soonest to run dry: time to exhaustion")
        .register(registry);
    topChannelsRemaining = MultiGauge.builder("fedsearch_channel_top_remaining_drops")
        .description("The same channels' remaining balance").register(registry);
    gauge(registry, "fedsearch_payouts_due_drops", "Discovery fees owed to serving nodes, not held", G.PAYOUTS_DUE);
    gauge(registry, "fedsearch_payouts_held_drops", "Discovery fees owed but held (anomaly or operator)",
        G.PAYOUTS_HELD);
    gauge(registry, "fedsearch_payouts_due_nodes", "Serving nodes owed fees, not held", G.PAYOUT_NODES_DUE);
    gauge(registry, "fedsearch_payouts_held_nodes", "Serving nodes whose fees are held", G.PAYOUT_NODES_HELD);
    FunctionCounter.builder("fedsearch_netting_saved_drops_total", this, st -> st.value(G.NETTING_SAVED))
        .description("Value that did not move through channels thanks to netting (both offsets)").register(registry);
    FunctionCounter.builder("fedsearch_nettings_total", this, st -> st.value(G.NETTINGS))
        .description("Nettings completed").register(registry);
    FunctionCounter.builder("fedsearch_entry_fetch_peer_failures_total", node.federation().entries(),
            io.fedsearch.federation.query.EntryFetch::failedCalls)
        .description("Calls to peers for an entry that failed or timed out").register(registry);
    Payments p = node.payments();
    FunctionCounter.builder("fedsearch_payments_commits_total", p, x -> x.db().commitStats()[0])
        .description("Payments journal group commits").register(registry);
    FunctionCounter.builder("fedsearch_payments_commit_writes_total", p, x -> x.db().commitStats()[1])
        .description("Writes the group commits carried (writes / commits = group-commit size)").register(registry);
    gauge(registry, "fedsearch_privacy_epsilon_spent", "Composed lifetime epsilon spent by releases",
        G.EPSILON_SPENT);
    gauge(registry, "fedsearch_privacy_epsilon_lifetime", "Lifetime epsilon budget", G.EPSILON_LIFETIME);
    gauge(registry, "fedsearch_privacy_epsilon_remaining", "Lifetime epsilon budget left", G.EPSILON_REMAINING);
    gauge(registry, "fedsearch_privacy_releases", "Signal releases charged to the budget", G.RELEASES);
    Gauge.builder("fedsearch_signal_release_rows", this, st -> st.value(G.RELEASE_ROWS_CID))
        .description("Rows in this node's latest signal release").tag("unit", "cid").register(registry);
    Gauge.builder("fedsearch_signal_release_rows", this, st -> st.value(G.RELEASE_ROWS_CREATOR))
        .description("Rows in this node's latest signal release").tag("unit", "creator").register(registry);
    gauge(registry, "fedsearch_reputation_creators", "Creators with a reputation score", G.REPUTATION_CREATORS);
  }

  private void gauge(MeterRegistry registry, String name, String help, G g) {
    Gauge.builder(name, this, st -> st.value(g)).description(help).register(registry);
  }

  private double value(G g) {
    return values.getOrDefault(g, 0.0);
  }

  private double channel(String role, int index) {
    double[] c = channels.get(role);
    return c == null ? (index == 4 ? Double.NaN : 0) : c[index];
  }

  /**
   * Scrapes read the parts one at a time. A lock, not a monitor: the work reads the disk (or
   * waits on a process), which inside {@code synchronized} would pin a virtual thread.
   */
  private final java.util.concurrent.locks.ReentrantLock refreshing = new java.util.concurrent.locks.ReentrantLock();

  /** Reads every part; scrapes are serialised here so gauges see one reading. */
  void refresh() {
    refreshing.lock();
    try {
      part("index", () -> values.put(G.INDEX_DOCS,
          (double) node.local().index().withReader(org.apache.lucene.index.IndexReader::numDocs)));
      part("peers", () -> peers.refresh(node.federation().search().standing().all()));
      part("p2p", this::readConnectivity);
      part("outbox", this::readOutbox);
      part("channels", () -> readChannels(node.payments().monitor().all()));
      part("payouts", this::readPayouts);
      part("privacy", this::readPrivacy);
      part("reputation", () -> values.put(G.REPUTATION_CREATORS, (double) node.reputation().creators()));
    } finally {
      refreshing.unlock();
    }
  }

  private void part(String name, Runnable read) {
    try {
      read.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "event=metrics_read_failed part=" + name + " error=\"" + e + "\"");
    }
  }

  /** Who this node can reach: connected peers, index peers known and backed off, bootstrap addresses. */
  private void readConnectivity() {
    io.fedsearch.federation.p2p.Host host = node.host();
    values.put(G.P2P_PEERS, (double) host.allConnections().stream()
        .map(io.fedsearch.federation.p2p.Connection::remotePeer).distinct().count());
    values.put(G.BOOTSTRAP_ADDRESSES, (double) host.bootstrapAddresses().size());
    java.util.Set<io.fedsearch.federation.p2p.PeerId> known = node.federation().peers().known();
    io.fedsearch.federation.query.PeerStanding standing = node.federation().search().standing();
    java.time.Instant now = java.time.Instant.now();
    values.put(G.INDEX_PEERS_KNOWN, (double) known.size());
    values.put(G.INDEX_PEERS_BACKED_OFF, (double) known.stream().filter(p -> standing.get(p).backedOff(now)).count());
  }

  private void readOutbox() {
    long now = System.currentTimeMillis();
    Map<String, Double> counts = new HashMap<>();
    long[] oldestOpen = {Long.MAX_VALUE};
    for (Outbox.StatusCount row : node.payments().outbox().countsByStatus()) {
      counts.put(row.status(), (double) row.count());
      if (Outbox.PENDING.equals(row.status()) || Outbox.SUBMITTED.equals(row.status())) {
        oldestOpen[0] = Math.min(oldestOpen[0], row.oldestCreatedAt());
      }
    }
    outbox.clear();
    outbox.putAll(counts);
    values.put(G.OUTBOX_OLDEST_OPEN_AGE,
        oldestOpen[0] == Long.MAX_VALUE ? 0.0 : Math.max(0, now - oldestOpen[0]) / 1000.0);
  }

  private void readChannels(List<ChannelMetrics> all) {
    channels.clear();
    List<MultiGauge.Row<?>> top = new ArrayList<>();
    List<MultiGauge.Row<?>> topRemaining = new ArrayList<>();
    for (String role : ROLES) {
      double[] c = {0, 0, 0, 0, Double.NaN};
      List<ChannelMetrics> spending = new ArrayList<>();
      for (ChannelMetrics m : all) {
        if (!role.equals(m.role())) {
          continue;
        }
        c[0]++;
        if ("closed".equals(m.status()) || "closing".equals(m.status())) {
          continue;
        }
        c[1]++;
        c[2] += m.remaining();
        c[3] += m.unsettled();
        if (m.timeToExhaustion().isPresent()) {
          spending.add(m);
        }
      }
      spending.sort(Comparator.comparing(m -> m.timeToExhaustion().get()));
      if (!spending.isEmpty()) {
        c[4] = spending.get(0).timeToExhaustion().get().toSeconds();
      }
      for (int rank = 1; rank <= Math.min(TOP_CHANNELS, spending.size()); rank++) {
        // by rank, not channel id: /metrics is as open as /health, and which channels are whose is for the
        // admin API (GET /api/channels) to say
        ChannelMetrics m = spending.get(rank - 1);
        Tags tags = Tags.of("role", role, "rank", Integer.toString(rank));
        top.add(MultiGauge.Row.of(tags, m.timeToExhaustion().get().toSeconds()));
        topRemaining.add(MultiGauge.Row.of(tags, m.remaining()));
      }
      channels.put(role, c);
    }
    topChannels.register(top, true);
    topChannelsRemaining.register(topRemaining, true);
  }

  private void readPayouts() {
    double due = 0;
    double held = 0;
    double dueNodes = 0;
    double heldNodes = 0;
    for (FeeBook.Owed o : node.payments().fees().all()) {
      if (o.due() <= 0) {
        continue;
      }
      if (o.heldReason().isPresent()) {
        held += o.due();
        heldNodes++;
      } else {
        due += o.due();
        dueNodes++;
      }
    }
    values.put(G.PAYOUTS_DUE, due);
    values.put(G.PAYOUTS_HELD, held);
    values.put(G.PAYOUT_NODES_DUE, dueNodes);
    values.put(G.PAYOUT_NODES_HELD, heldNodes);
    List<Netting.Result> nettings = node.payments().netting().history();
    values.put(G.NETTINGS, (double) nettings.size());
    values.put(G.NETTING_SAVED, (double) nettings.stream().mapToLong(Netting.Result::saving).sum());
  }

  private void readPrivacy() {
    BudgetStatus b = node.privacy().budget();
    values.put(G.EPSILON_SPENT, b.epsilon().doubleValue());
    values.put(G.EPSILON_LIFETIME, b.lifetimeEpsilon().doubleValue());
    values.put(G.EPSILON_REMAINING, b.remainingEpsilon().doubleValue());
    values.put(G.RELEASES, (double) b.releases());
    node.privacy().releases().latest().ifPresent(r -> {
      SignalRelease release = r.release();
      values.put(G.RELEASE_ROWS_CID, (double) release.rows().size());
      values.put(G.RELEASE_ROWS_CREATOR, (double) release.creatorRows().size());
    });
  }

  PeerMeters peers() {
    return peers;
  }
}
