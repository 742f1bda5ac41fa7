package io.fedsearch.federation.query;

import static io.fedsearch.federation.query.QueryNodes.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.federation.query.QueryNodes.Searcher;
import io.fedsearch.federation.signals.ReleasedSignals;
import io.fedsearch.federation.signals.SignalExchange;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.search.SearchRequest;
import io.fedsearch.privacy.node.PrivacyService;
import io.fedsearch.privacy.records.PaymentEvent;
import io.fedsearch.privacy.release.Calibration;
import io.fedsearch.privacy.release.EpochTree;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignalRow;
import io.fedsearch.privacy.release.Unit;
import io.fedsearch.privacy.release.UnitParameters;
import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.reputation.model.ReputationConfig;
import io.fedsearch.reputation.service.ReputationService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 7 over real libp2p: a peer serves forged signal releases on {@value SignalExchange#PROTOCOL} — one
 * signed by a fresh key instead of its peer key, one for a far-future epoch, one claiming 10^12 payers, one whose
 * noise does not follow from its stated settings, and one well-formed release of its own that speaks for another
 * platform's listing. The node that pulls them keeps none of the forged ones, and its search ranking is the same
 * before and after: the work that was #7 stays where its real sales put it.
 */
@Timeout(120)
class ForgedSignalsTest {
  private static final ReleaseConfig CONFIG = ReleaseConfig.defaults();

  @TempDir Path dir;
  private QueryNodes nodes;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void setUp() {
    nodes = new QueryNodes(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    nodes.close();
  }

  @Test
  void forgedReleasesAreRefusedAndRankingDoesNotMove() throws Exception {
    List<Entry> entries = IntStream.range(0, 10).mapToObj(i -> entry("shop", "lamp-" + i, "brass lamp " + i))
        .toList();
    Searcher victim = nodes.searcher("shop", entries, new PeerStanding());
    RecordSigner signer = RecordSigner.of(victim.key()::sign, victim.key().publicKey().bytes());
    PrivacyService privacy = PrivacyService.open(dir.resolve("v"), signer, CONFIG);
    open.add(privacy);
    ReputationService reputation = ReputationService.open(dir.resolve("v"), ReputationConfig.defaults(), signer);
    open.add(reputation);
    // Real sales two days ago: lamps 0..5 sell (600, 550, ... payers), lamps 6..9 do not.
    Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
    List<PaymentEvent> sales = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String cid = entries.get(i).cid().toString();
      for (int p = 0; p < 600 - 50 * i; p++) {
        sales.add(new PaymentEvent(cid, "rBuyer" + i + "x" + p, 1_000_000, day.plusSeconds(p)));
      }
    }
    privacy.recordAll(sales);
    privacy.release(CONFIG.epochOf(day.getEpochSecond()));
    victim.search().setSignals(new ReleasedSignals(privacy.releases(), reputation, victim.key().publicKey()));
    SignalExchange exchange = new SignalExchange(victim.host(), privacy, reputation);

    String target = entries.get(6).cid().toString();
    int before = rankOf(victim, target);
    assertThat(before).isGreaterThanOrEqualTo(6); // six selling lamps rank above it

    // The attacker: a libp2p peer answering the signals protocol with whatever the test sets.
    NodeKey attackerKey = NodeKey.generate();
    Host attacker = Host.builder(attackerKey).listen("/ip4/127.0.0.1/tcp/0").build();
    attacker.start();
    open.add(attacker);
    AtomicReference<byte[]> served = new AtomicReference<>(new byte[0]);
    new RequestResponse(attacker).handle(SignalExchange.PROTOCOL, 8, Duration.ofSeconds(10),
        (from, request) -> served.get());
    victim.host().peerStore().addAddresses(attacker.peerId(), attacker.listenAddresses());

    RecordSigner attackerSigner = RecordSigner.of(attackerKey::sign, attackerKey.publicKey().bytes());
    NodeKey fresh = NodeKey.generate();
    RecordSigner freshSigner = RecordSigner.of(fresh::sign, fresh.publicKey().bytes());
    long past = privacy.currentEpoch() - 1;
    long future = privacy.currentEpoch() + 1_000_000;

    List<byte[]> forged = List.of(
        forge(freshSigner, past, target, 100_000_000L, false),        // not the peer's key
        forge(attackerSigner, future, target, 100_000_000L, false),   // an epoch that has not happened
        forge(attackerSigner, past, target, 1_000_000_000_000L, false), // 10^12 payers
        forge(attackerSigner, past, target, 100_000_000L, true));     // noise that its settings do not give
    for (byte[] wire : forged) {
      served.set(wire);
      int kept = exchange.pull(List.of(attacker.peerId()), Duration.ofSeconds(10));
      assertThat(rankOf(victim, target)).as("rank of the attacked work").isEqualTo(before);
      assertThat(kept).isZero();
      assertThat(privacy.releases().latestPerNode()).containsOnlyKeys(victim.key().publicKey().hex());
    }

    // A well-formed release of the attacker's own is kept (within its quota) but cannot speak for the victim's
    // listing, and an untrusted platform's counts weigh nothing.
    served.set(forge(attackerSigner, past, target, 100_000_000L, false));
    assertThat(exchange.pull(List.of(attacker.peerId()), Duration.ofSeconds(10))).isEqualTo(1);
    assertThat(privacy.releases().latestPerNode()).containsKey(attackerKey.publicKey().hex());
    assertThat(rankOf(victim, target)).isEqualTo(before);
  }

  /** 0-based rank of the work whose listing is {@code cid} in a fresh federated search for "brass lamp". */
  private static int rankOf(Searcher s, String cid) {
    s.search().setCacheTtl(Duration.ZERO);
    FederatedResult r = s.search().search(new FederatedSearch.Query(SearchRequest.of("brass lamp", 10),
        FederatedSearch.Merge.EXACT, Duration.ofSeconds(5), false));
    for (int i = 0; i < r.works().size(); i++) {
      if (r.works().get(i).listings().stream().anyMatch(l -> l.entry().cid().toString().equals(cid))) {
        return i;
      }
    }
    throw new AssertionError(cid + " not in the results");
  }

  /** A release by {@code by} for {@code epoch} claiming {@code payers} payers for {@code cid}. */
  private static byte[] forge(RecordSigner by, long epoch, String cid, long payers, boolean tinyNoise) {
    int levels = CONFIG.treeLevels();
    int n = EpochTree.nodes(epoch, levels);
    UnitParameters cids = UnitParameters.of(CONFIG.unit(Unit.CID), Calibration.of(CONFIG.unit(Unit.CID)), n);
    if (tinyNoise) {
      cids = new UnitParameters(cids.epsilon(), cids.delta(), cids.maxKeysPerPayer(), cids.maxDropsPerKey(), 1,
          "1/1000000", "1/1000000", n);
    }
    UnitParameters creators =
        UnitParameters.of(CONFIG.unit(Unit.CREATOR), Calibration.of(CONFIG.unit(Unit.CREATOR)), n);
    return new SignalRelease(java.util.HexFormat.of().formatHex(by.publicKey()), epoch, 86400,
        CONFIG.mechanism(), levels, EpochTree.windowStart(epoch, levels), cids,
        List.of(new SignalRow(cid, payers, payers)), creators, List.of()).sign(by).encode();
  }
}
