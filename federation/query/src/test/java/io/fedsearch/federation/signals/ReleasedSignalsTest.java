package io.fedsearch.federation.signals;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.core.keys.NodeKey;
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
import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.ReputationConfig;
import io.fedsearch.reputation.service.ReputationService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How ranking weighs releases: a platform speaks only for its own listings, weighted by its trust, and even a
 * trusted platform cannot make one of its listings look more sold than the best seller any other trusted platform
 * reports.
 */
@Timeout(120)
class ReleasedSignalsTest {
  private static final ReleaseConfig CONFIG = ReleaseConfig.defaults();
  private static final EntryParser PARSER = new EntryParser(null);

  @TempDir Path dir;

  @Test
  void trustWeightsAndCapsEachPlatformsSignal() throws Exception {
    NodeKey self = NodeKey.generate();
    NodeKey other = NodeKey.generate();
    RecordSigner selfSigner = RecordSigner.of(self::sign, self.publicKey().bytes());
    RecordSigner otherSigner = RecordSigner.of(other::sign, other.publicKey().bytes());
    Cid mine = entry("shop", "lamp").cid();
    Cid theirs = entry("bazaar", "rug").cid();
    try (PrivacyService privacy = PrivacyService.open(dir, selfSigner, CONFIG);
        ReputationService reputation = ReputationService.open(dir, ReputationConfig.defaults(), selfSigner)) {
      Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
      List<PaymentEvent> sales = new ArrayList<>();
      for (int p = 0; p < 300; p++) {
        sales.add(new PaymentEvent(mine.toString(), "rBuyer" + p, 1_000_000, day.plusSeconds(p)));
      }
      privacy.recordAll(sales);
      long epoch = CONFIG.epochOf(day.getEpochSecond());
      privacy.release(epoch);
      // The other platform, well-formed and signed by its own key, claims 10^8 payers for its own listing.
      privacy.releases().accept(release(otherSigner, epoch, theirs, 100_000_000L), other.publicKey().hex());
      ReleasedSignals signals = new ReleasedSignals(privacy.releases(), reputation, self.publicKey());

      double own = signals.paymentSignal(mine, self.publicKey()).orElseThrow();
      assertThat(own).isBetween(300.0 - 60, 300.0 + 30);
      // Nobody pays the other platform: its trust weight is 0 and its counts weigh nothing.
      assertThat(signals.paymentSignal(theirs, other.publicKey())).isEmpty();
      // Neither platform speaks for the other's listing.
      assertThat(signals.paymentSignal(mine, other.publicKey())).isEmpty();
      assertThat(signals.paymentSignal(theirs, self.publicKey())).isEmpty();

      // Once this node pays it, the other platform is trusted: its signal counts, weighted, but capped at the best
      // seller another trusted platform (here this node) reports.
      reputation.putEdges(List.of(new PlatformEdge(NodePublicKey.of(self.publicKey().bytes()),
          NodePublicKey.of(other.publicKey().bytes()), 5_000_000)));
      reputation.recompute(epoch);
      double weight = reputation.trust().weight(NodePublicKey.of(other.publicKey().bytes()));
      assertThat(weight).isPositive();
      double capped = signals.paymentSignal(theirs, other.publicKey()).orElseThrow();
      assertThat(capped).isPositive().isLessThanOrEqualTo(weight * own + 1e-9);
    }
  }

  private static Entry entry(String platform, String id) {
    return PARSER.parse("{\"platform\":\"" + platform + "\",\"id\":\"" + id + "\",\"title\":\"" + id
        + "\",\"description\":\"a " + id + "\",\"price\":1000000}");
  }

  private static byte[] release(RecordSigner by, long epoch, Cid cid, long payers) {
    int levels = CONFIG.treeLevels();
    int n = EpochTree.nodes(epoch, levels);
    return new SignalRelease(HexFormat.of().formatHex(by.publicKey()), epoch, 86400, CONFIG.mechanism(), levels,
        EpochTree.windowStart(epoch, levels),
        UnitParameters.of(CONFIG.unit(Unit.CID), Calibration.of(CONFIG.unit(Unit.CID)), n),
        List.of(new SignalRow(cid.toString(), payers, payers)),
        UnitParameters.of(CONFIG.unit(Unit.CREATOR), Calibration.of(CONFIG.unit(Unit.CREATOR)), n), List.of())
        .sign(by).encode();
  }
}
