package io.fedsearch.web.node;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.query.FederationNode;
import io.fedsearch.federation.query.RankingFormula;
import io.fedsearch.federation.signals.ReleasedSignals;
import io.fedsearch.federation.signals.SignalExchange;
import io.fedsearch.privacy.node.PrivacyService;
import io.fedsearch.privacy.accounting.BudgetExceededException;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.reputation.model.ReputationConfig;
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

  /** How to run: the libp2p port (0 picks one), peers to bootstrap from, the replica set this node belongs to. */
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
  private final ScheduledExecutorService maintenance =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("maintenance").factory());

  private RunningNode(LocalNode local, Host host, FederationNode federation, PrivacyService privacy,
      ReputationService reputation, SignalExchange signals) {
    this.local = local;
    this.host = host;
    this.federation = federation;
    this.privacy = privacy;
    this.reputation = reputation;
    this.signals = signals;
  }

  public static RunningNode start(NodeDirectory dir, Options options) throws IOException {
    LocalNode local = LocalNode.open(dir);
    RecordSigner signer = RecordSigner.of(local.key()::sign, local.key().publicKey().bytes());
    PrivacyService privacy = PrivacyService.open(dir.root(), signer, ReleaseConfig.defaults());
    ReputationService reputation = ReputationService.open(dir.root(),
        ReputationConfig.defaults().withMaxCidsPerPayer(privacy.config().maxCidsPerPayer()), signer);
    Host host = Host.builder(local.key())
        .listen("/ip4/127.0.0.1/tcp/" + options.p2pPort())
        .bootstrap(options.bootstrap())
        .dataDir(dir.root())
        .build();
    host.start();
    FederationNode federation = new FederationNode(local.key(), local.index(), dir.platform(), options.replicaSet(),
        host, RankingFormula.DEFAULT);
    federation.search().setSignals(new ReleasedSignals(privacy.releases(), reputation));
    SignalExchange signals = new SignalExchange(host, privacy, reputation);
    federation.start();
    RunningNode node = new RunningNode(local, host, federation, privacy, reputation, signals);
    node.maintenance.scheduleWithFixedDelay(node::maintain, 5, MAINTENANCE.toSeconds(), TimeUnit.SECONDS);
    return node;
  }

  /** Releases closed epochs, exchanges releases with peers, recomputes reputation. Never throws. */
  public void maintain() {
    try {
      List<SignedRelease> released = privacy.releaseDue();
      signals.ingestOwn(released);
    } catch (BudgetExceededException e) {
      LOG.log(Level.WARNING, "signal release refused: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "signal release failed", e);
    }
    try {
      signals.pull(federation.peers().known(), Duration.ofSeconds(10));
      reputation.recompute(privacy.currentEpoch());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "signal exchange or reputation recompute failed", e);
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

  @Override
  public void close() throws IOException {
    maintenance.shutdownNow();
    federation.close();
    host.close();
    reputation.close();
    privacy.close();
    local.close();
  }
}
