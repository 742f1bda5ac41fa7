package io.fedsearch.reputation.service;

import static io.fedsearch.reputation.TestKeys.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.reputation.TestKeys;
import io.fedsearch.reputation.attest.AttestationVerifier;
import io.fedsearch.reputation.model.CreatorObservation;
import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.ReputationConfig;
import io.fedsearch.reputation.model.SignalObservation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReputationServiceTest {
  @TempDir
  Path dir;

  private final RecordSigner signer = TestKeys.signer();
  private final NodePublicKey other = platform(7);
  private final NodePublicKey stranger = platform(8);

  private static List<SignalObservation> release(NodePublicKey p, long epoch, Object... cidPayers) {
    List<SignalObservation> rows = new ArrayList<>();
    for (int i = 0; i < cidPayers.length; i += 2) {
      double n = ((Number) cidPayers[i + 1]).doubleValue();
      rows.add(new SignalObservation(p, epoch, (String) cidPayers[i], n, n * 2_000, 2.7, 28_000, 25));
    }
    return rows;
  }

  private ReputationService seeded() {
    ReputationService s = ReputationService.open(dir, ReputationConfig.defaults(), signer);
    NodePublicKey self = s.issuer().orElseThrow();
    s.putCreators(Map.of("bafy-a1", "alice", "bafy-a2", "alice", "bafy-b1", "bob", "bafy-c1", "carol"));
    s.putEdges(List.of(new PlatformEdge(self, other, 1_000), new PlatformEdge(other, self, 1_000),
        new PlatformEdge(stranger, other, 5)));
    for (long e = 0; e < 5; e++) {
      s.ingestRelease(self, e, release(self, e, "bafy-a1", 120 + e, "bafy-a2", 40, "bafy-b1", 60, "unknown", 999));
      s.ingestRelease(other, e, release(other, e, "bafy-b1", 80, "bafy-c1", 30));
      s.ingestRelease(stranger, e, release(stranger, e, "bafy-c1", 1_000_000));
    }
    s.recompute(4);
    return s;
  }

  @Test
  void reportsScoreBreakdownHistoryAndAVerifiableAttestation() {
    try (ReputationService s = seeded()) {
      CreatorReport alice = s.report("alice", 5).orElseThrow();
      assertThat(alice.score()).isBetween(0.0, 100.0);
      assertThat(alice.low()).isLessThanOrEqualTo(alice.score());
      assertThat(alice.high()).isGreaterThanOrEqualTo(alice.score());
      assertThat(alice.platforms()).hasSize(1);
      assertThat(alice.platforms().getFirst().weight()).isEqualTo(1.0);
      assertThat(alice.platforms().getFirst().points()).isCloseTo(alice.score(), within(1e-9));
      assertThat(alice.history()).extracting(CreatorReport.HistoryPoint::epoch).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(alice.history().getLast().score()).isCloseTo(alice.score(), within(1e-9));
      String att = alice.attestation().orElseThrow().toJson();
      assertThat(AttestationVerifier.verify(att).valid()).isTrue();
      ReputationService.Verification v = s.verify(att);
      assertThat(v.result().valid()).isTrue();
      assertThat(v.issuerWeight()).isEqualTo(1.0);
      assertThat(alice.toJson()).contains("\"interval\"", "\"platforms\"", "\"history\"", "\"attestation\"");
      assertThat(ReputationJson.verification(v).get("valid").asBoolean()).isTrue();
      assertThat(ReputationJson.verification(s.verify("{}")).get("reason").asText()).contains("version");
      assertThat(ReputationJson.leaderboard(s.epoch(), s.top(LeaderboardQuery.top(2))).get("creators")).hasSize(2);
      // carol's million fake payers come from a platform nobody trusted pays: they count for nothing
      CreatorReport carol = s.report("carol", 0).orElseThrow();
      assertThat(carol.platforms()).anySatisfy(p -> {
        assertThat(p.platform()).isEqualTo(stranger.hex());
        assertThat(p.credited()).isZero();
      });
      assertThat(carol.score()).isLessThan(s.lookup("bob").orElseThrow().score());
    }
  }

  @Test
  void leaderboardFiltersAndFastLookup() {
    try (ReputationService s = seeded()) {
      List<ScoreSummary> top = s.top(LeaderboardQuery.top(10));
      assertThat(top).extracting(ScoreSummary::creator).containsExactly("alice", "bob", "carol");
      assertThat(top.get(0).score()).isGreaterThanOrEqualTo(top.get(1).score());
      List<ScoreSummary> onOther = s.top(new LeaderboardQuery(10, Optional.of(other), 0, 0));
      assertThat(onOther).extracting(ScoreSummary::creator).containsExactly("bob", "carol");
      assertThat(s.top(new LeaderboardQuery(10, Optional.of(platform(99)), 0, 0))).isEmpty();
      assertThat(s.top(new LeaderboardQuery(1, Optional.empty(), 0, 0))).hasSize(1);
      double bobEvidence = s.lookup("bob").orElseThrow().evidence();
      assertThat(s.top(new LeaderboardQuery(10, Optional.empty(), bobEvidence + 1e-3, 0)))
          .extracting(ScoreSummary::creator).containsExactly("alice");
      assertThat(s.lookup("nobody")).isEmpty();
      assertThat(s.report("nobody", 3)).isEmpty();
      assertThatThrownBy(() -> LeaderboardQuery.top(0)).hasMessageContaining("top");
    }
  }

  @Test
  void inputsAndScoresSurviveAReopen() {
    double alice;
    try (ReputationService s = seeded()) {
      alice = s.lookup("alice").orElseThrow().score();
    }
    try (ReputationService again = ReputationService.openExisting(dir, null)) {
      assertThat(again.epoch()).isEqualTo(4);
      assertThat(again.lookup("alice").orElseThrow().score()).isCloseTo(alice, within(1e-6));
      assertThat(again.report("alice", 2).orElseThrow().attestation()).isEmpty();
    }
  }

  @Test
  void badInputIsRejectedAndNothingAcceptedIsLost() {
    try (ReputationService s = seeded()) {
      NodePublicKey self = s.issuer().orElseThrow();
      double before = s.lookup("alice").orElseThrow().score();
      assertThatThrownBy(() -> s.ingestRelease(self, 5, release(other, 5, "bafy-a1", 10)))
          .hasMessageContaining("contains a row of");
      assertThatThrownBy(() -> s.ingestRelease(self, 5, release(self, 5, "bafy-a1", 10, "bafy-a1", 11)))
          .hasMessageContaining("twice");
      assertThatThrownBy(() -> new SignalObservation(self, 1, "c", Double.NaN, 0, 0, 0, 0))
          .hasMessageContaining("noisyPayers");
      assertThatThrownBy(() -> new SignalObservation(self, -1, "c", 1, 0, 0, 0, 0)).hasMessageContaining("epoch");
      assertThatThrownBy(() -> s.putCreator("x".repeat(200), "alice")).hasMessageContaining("cid");
      assertThatThrownBy(() -> s.report("alice", 10_000)).hasMessageContaining("history");
      s.recompute(4);
      assertThat(s.lookup("alice").orElseThrow().score()).isCloseTo(before, within(1e-9));
    }
    assertThatThrownBy(() -> ReputationService.openExisting(dir.resolve("nope"), null))
        .hasMessageContaining("reputation.db");
  }

  @Test
  void aNewReleaseReplacesTheOldAndRaisesTheScore() {
    try (ReputationService s = seeded()) {
      NodePublicKey self = s.issuer().orElseThrow();
      double before = s.lookup("bob").orElseThrow().score();
      s.ingestRelease(self, 4, release(self, 4, "bafy-b1", 400));
      s.recompute(4);
      assertThat(s.lookup("bob").orElseThrow().score()).isGreaterThan(before);
      // alice's rows of epoch 4 were replaced by that release (which does not list her)
      assertThat(s.report("alice", 0).orElseThrow().platforms().getFirst().epochs()).isEqualTo(4);
    }
  }

  @Test
  void creatorUnitRowsScoreACreatorWithNoReleasedCidAndSurviveAReopen() {
    NodePublicKey self;
    try (ReputationService s = ReputationService.open(dir, ReputationConfig.defaults(), signer)) {
      self = s.issuer().orElseThrow();
      // dave's works never cleared a CID threshold; his creator row did (a running total over 32 epochs, 2 nodes)
      s.putCreators(Map.of("bafy-d1", "dave"));
      s.ingestCreatorRelease(self, 40, List.of(new CreatorObservation(self, 40, "dave", 9, 2, 640, 640_000, 3.9,
          40_000, 25)));
      s.recompute(40);
      assertThat(s.lookup("dave").orElseThrow().score()).isGreaterThan(0);
      assertThat(s.creatorNames()).contains("dave");
      assertThatThrownBy(() -> s.ingestCreatorRelease(self, 40, List.of(
          new CreatorObservation(self, 40, "dave", 9, 2, 1, 1, 1, 1, 1),
          new CreatorObservation(self, 40, "dave", 9, 2, 1, 1, 1, 1, 1)))).hasMessageContaining("twice");
      assertThatThrownBy(() -> new CreatorObservation(self, 40, "dave", 41, 1, 1, 1, 1, 1, 1))
          .hasMessageContaining("window");
    }
    try (ReputationService again = ReputationService.openExisting(dir, signer)) {
      assertThat(again.lookup("dave").orElseThrow().score()).isGreaterThan(0);
    }
  }

  @Test
  void cidRowsOfAContinualReleaseCountPerEpochOfTheirWindowAndSurviveAReopen() {
    try (ReputationService s = ReputationService.open(dir, ReputationConfig.defaults(), signer)) {
      NodePublicKey self = s.issuer().orElseThrow();
      s.putCreators(Map.of("bafy-e1", "erin", "bafy-f1", "frank"));
      // the same 960 payers: erin's in one epoch, frank's a running total over 48 epochs of 2 tree nodes
      s.ingestRelease(self, 60, List.of(new SignalObservation(self, 60, "bafy-e1", 960, 960_000, 2.7, 28_000, 25),
          new SignalObservation(self, 60, "bafy-f1", 960, 960_000, 3.9, 40_000, 25, 13, 2)));
      s.recompute(60);
      double erin = s.report("erin", 1).orElseThrow().evidence();
      double frank = s.report("frank", 1).orElseThrow().evidence();
      int k = ReputationConfig.defaults().peakEpochs(); // one epoch of the k best
      assertThat(erin).isCloseTo((960 - 25) / (double) k, within(1e-3));
      assertThat(frank).isCloseTo((960 - 25) / 48.0 / k, within(1e-3));
    }
    try (ReputationService again = ReputationService.openExisting(dir, signer)) {
      assertThat(again.report("frank", 1).orElseThrow().evidence())
          .isCloseTo((960 - 25) / 48.0 / ReputationConfig.defaults().peakEpochs(), within(1e-3));
    }
  }
}
