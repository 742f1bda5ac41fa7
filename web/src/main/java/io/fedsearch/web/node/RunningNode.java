package io.fedsearch.web.node;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.net.P2pPayoutTransport;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.privacy.records.PaymentEvent;
import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodePublicKey;
import java.time.Clock;
import java.util.Optional;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.query.FederationNode;
import io.fedsearch.federation.query.PlatformRecord;
import io.fedsearch.federation.query.RankingFormula;
import io.fedsearch.federation.signals.ReleasedSignals;
import io.fedsearch.federation.signals.SignalExchange;
import io.fedsearch.privacy.node.PrivacyService;
import io.fedsearch.privacy.accounting.BudgetExceededException;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.reputation.service.ReputationService;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A node as it runs: its index ({@link LocalNode}), its libp2p host serving federated queries and signal releases,
 * its privacy and reputation services — assembled from one node directory. Background work (releasing closed
 * epochs, pulling peers' releases, recomputing reputation) runs every {@link #MAINTENANCE}.
 */
public final class RunningNode implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RunningNode.class.getName());
  public static final Duration MAINTENANCE = Duration.ofSeconds(30);
  public static final Duration PAYMENTS_TICK = Duration.ofSeconds(10);

  /**
   * How to run: the libp2p port (0 picks one), peers to bootstrap from, the replica set this node belongs to. A node
   * holds no user's wallet: users pay from their own, through a hub (node.json {@code "hub"}).
   */
  public record Options(int p2pPort, List<Multiaddr> bootstrap, String replicaSet) {
    public static Options defaults() {
      return new Options(0, List.of(), null);
    }
  }

  private final LocalNode local;
  private final Host host;
  private final FederationNode federation;
  private final PrivacyService privacy;
  private final ReputationService reputation;
  private final SignalExchange signals;
  private final Payments payments;
  private final PurchaseProtocol purchaseProtocol;
  private final Optional<io.fedsearch.federation.payments.hub.HubService> hub;
  private final NodeMetrics metrics;
  private final PaymentEvents paymentEvents = new PaymentEvents();
  private final ScheduledExecutorService maintenance =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("maintenance").factory());

  private RunningNode(LocalNode local, Host host, FederationNode federation, PrivacyService privacy,
      ReputationService reputation, SignalExchange signals, Payments payments, PurchaseProtocol purchaseProtocol,
      NodeMetrics metrics,
      Optional<io.fedsearch.federation.payments.hub.HubService> hub) {
    this.hub = hub;
    this.metrics = metrics;
    this.local = local;
    this.host = host;
    this.federation = federation;
    this.privacy = privacy;
    this.reputation = reputation;
    this.signals = signals;
    this.payments = payments;
    this.purchaseProtocol = purchaseProtocol;
  }

  public static RunningNode start(NodeDirectory dir, Options options) throws IOException {
    NodeMetrics metrics = new NodeMetrics();
    LocalNode local = LocalNode.open(dir);
    local.onImport(metrics::imported);
    NodeConfig config = NodeConfig.load(dir.root()); // every setting checked before anything opens
    RecordSigner signer = RecordSigner.of(local.key()::sign, local.key().publicKey().bytes());
    PrivacyService privacy = PrivacyService.open(dir.root(), signer, config.privacy());
    ReputationService reputation = ReputationService.open(dir.root(), config.reputation(), signer);
    Host host = Host.builder(local.key())
        .listen("/ip4/127.0.0.1/tcp/" + options.p2pPort())
        .bootstrap(options.bootstrap())
        .dataDir(dir.root())
        .build();
    // The node's platform record: signed by the platform key its replicas share, else by its own key.
    PlatformRecord.Signed record = dir.platformKey()
        .map(k -> new PlatformRecord(dir.platform(), options.replicaSet(), List.of(local.key().publicKey()),
            System.currentTimeMillis()).sign(k))
        .orElseGet(() -> PlatformRecord.selfSigned(local.key(), dir.platform(), options.replicaSet()));
    FederationNode federation = new FederationNode(local.key(), local.index(), List.of(record), host,
        RankingFormula.DEFAULT);
    federation.search().setSignals(new ReleasedSignals(privacy.releases(), reputation, local.key().publicKey()));
    // What every federated search verified (whoever asked) reaches reputation in background batches.
    federation.search().setCreatorSightings(reputation.creatorBatches()::offer);
    // The platform's own listings are public before anyone pays: released without partition selection.
    privacy.setCatalogDomain(() -> {
      java.util.Map<String, String> listings = new java.util.HashMap<>();
      for (var e : local.index().entries(io.fedsearch.privacy.release.SignalMechanism.MAX_ROWS)) {
        listings.put(e.cid().toString(), e.entry().creator());
      }
      return listings;
    });
    SignalExchange signals = new SignalExchange(host, privacy, reputation);
    P2pPayoutTransport payoutTransport = new P2pPayoutTransport(host);
    Payments payments = Payments.open(dir.root(), local.key(), config.payments(), payoutTransport, Clock.systemUTC());
    payoutTransport.serve(payments.receiver());
    payments.purchases().sellFrom(new IndexListings(local.index()));
    PurchaseProtocol purchaseProtocol = new PurchaseProtocol(host);
    purchaseProtocol.serve(payments.purchases(), payments.account().address().value());
    payments.purchases().addListener(e -> onSale(local, privacy, reputation, e));
    PaymentEvents claimEvents = new PaymentEvents();
    payments.purchases().onOutcome((request, rejection, detail, nanos) -> {
      metrics.claim(rejection, nanos);
      claimEvents.claim(request, rejection, detail, nanos);
    });
    // A hub (node.json "hub": {"enabled": true}, or --hub) forwards users' purchases to platforms.
    var hubConfig = config.hub();
    Optional<io.fedsearch.federation.payments.hub.HubService> hub = hubConfig.enabled()
        ? Optional.of(io.fedsearch.federation.payments.hub.HubService.start(payments, local.key(), purchaseProtocol,
            hubConfig, Clock.systemUTC()))
        : Optional.empty();
    hub.ifPresent(h -> new io.fedsearch.federation.payments.hub.HubProtocol(host).serve(h));
    PeerEvents.watch(host, federation.search().standing(), options.bootstrap());
    // Listen and dial only now that every protocol is served: the identify exchange of the first connection then
    // tells peers everything this node speaks at once (a protocol added later reaches them by identify/push).
    host.start();
    federation.start();
    RunningNode node = new RunningNode(local, host, federation, privacy, reputation, signals, payments,
        purchaseProtocol, metrics, hub);
    metrics.watch(node);
    node.maintenance.scheduleWithFixedDelay(node::maintain, 5, MAINTENANCE.toSeconds(), TimeUnit.SECONDS);
    node.maintenance.scheduleWithFixedDelay(node::paymentsTick, 2, PAYMENTS_TICK.toSeconds(), TimeUnit.SECONDS);
    long netting = payments.config().nettingPeriod().toMillis();
    if (netting > 0) {
      // first run somewhere in the second half of a period: nodes started together do not all coordinate at once
      long first = netting / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(netting / 2 + 1);
      node.maintenance.scheduleWithFixedDelay(node::netDebts, first, netting, TimeUnit.MILLISECONDS);
    }
    return node;
  }

  /**
   * A sale journaled by this platform: the payment event goes (encrypted, payer pseudonymised) to privacy — the
   * raw record never leaves the node — and reputation learns which creator made the work sold.
   */
  private static void onSale(LocalNode local, PrivacyService privacy, ReputationService reputation,
      io.fedsearch.federation.payments.purchase.PaymentEvent e) {
    try {
      String creator = local.index().get(Cid.parse(e.cid())).map(EntryIndex.Stored::entry)
          .map(se -> se.entry().creator()).orElse("");
      privacy.record(new PaymentEvent(e.cid(), e.payer(), e.priceDrops(), e.at(), creator));
      if (!creator.isEmpty()) {
        reputation.putCreator(e.cid(), creator);
      }
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "event=sale_signal_failed sale=" + e.saleId() + " error=" + PaymentEvents.quote(
          String.valueOf(ex)), ex);
    }
  }

  /** Settlement, channel upkeep and batched discovery payouts; what this platform pays whom vouches for them. */
  private void paymentsTick() {
    try {
      paymentEvents.tick(payments.tick());
      NodePublicKey self = NodePublicKey.of(local.key().publicKey().bytes());
      List<PlatformEdge> edges = TrustEdges.of(self, payments.fees().all());
      if (!edges.isEmpty()) {
        reputation.putEdges(edges);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "event=payments_tick_failed error=" + PaymentEvents.quote(String.valueOf(e)), e);
    }
  }

  /**
   * Multilateral netting (payments.netting): the debt cycles through this node — fees it and its peers owe each
   * other — cancelled with every party's signature before they are paid over channels. Never throws.
   */
  private void netDebts() {
    try {
      paymentEvents.netted(payments.payouts().netCycles());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "event=netting_failed error=" + PaymentEvents.quote(String.valueOf(e)), e);
    }
  }

  /** Releases closed epochs, exchanges releases with peers, recomputes reputation. Never throws. */
  public void maintain() {
    try {
      List<SignedRelease> released = privacy.releaseDue();
      signals.ingestOwn(released);
    } catch (BudgetExceededException e) {
      LOG.log(Level.WARNING, "event=signal_release_refused reason=" + PaymentEvents.quote(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "event=signal_release_failed error=" + PaymentEvents.quote(String.valueOf(e)), e);
    }
    try {
      signals.pull(federation.peers().known(), Duration.ofSeconds(10));
      long start = System.nanoTime();
      reputation.recompute(privacy.currentEpoch());
      metrics.reputationRecomputed(System.nanoTime() - start);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "event=maintenance_failed step=signal_exchange_or_reputation error="
          + PaymentEvents.quote(String.valueOf(e)), e);
    }
  }

  public LocalNode local() {
    return local;
  }

  public Host host() {
    return host;
  }

  public FederationNode federation() {
    return federation;
  }

  public PrivacyService privacy() {
    return privacy;
  }

  public ReputationService reputation() {
    return reputation;
  }

  public Payments payments() {
    return payments;
  }

  public PurchaseProtocol purchaseProtocol() {
    return purchaseProtocol;
  }

  /** The node's meters; {@code /metrics} is their scrape. */
  public NodeMetrics metrics() {
    return metrics;
  }

  /** This node's hub, when it is one. */
  public Optional<io.fedsearch.federation.payments.hub.HubService> hub() {
    return hub;
  }

  @Override
  public void close() throws IOException {
    maintenance.shutdownNow();
    hub.ifPresent(io.fedsearch.federation.payments.hub.HubService::close);
    federation.close();
    host.close();
    payments.close();
    reputation.close();
    privacy.close();
    local.close();
    metrics.close();
  }
}
