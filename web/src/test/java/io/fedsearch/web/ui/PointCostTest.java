package io.fedsearch.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.reputation.model.CreatorObservation;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The creator page's cost per point, through HTTP: the figure the API states is the one the score engine honours —
 * that many more distinct buyers per epoch, released the way the platform releases them, move the score by one point
 * and fewer do not — and the page shows it with its assumptions.
 */
@Timeout(120)
class PointCostTest {
  private static final String CREATOR = "Steady Maker";
  /**
   * Creator-unit windows of 4 epochs summing 4 tree nodes (credited as if 2: counts halved), τ = 25, sums too noisy
   * for the amount clamp.
   */
  private static final int SPAN = 4;
  private static final int NODES = 4;
  private static final double TAU = 25;

  @TempDir
  static Path dir;

  private static NodeFixture fixture;
  private static RunningNode node;
  private static TestHttp http;
  private static NodePublicKey self;

  @BeforeAll
  static void start() throws Exception {
    fixture = NodeFixture.start(dir.resolve("node"), "shop");
    node = fixture.node;
    http = fixture.http;
    self = NodePublicKey.of(node.local().key().publicKey().bytes());
    node.reputation().putCreators(Map.of("bafy-steady", CREATOR));
    release(0);
  }

  /** Windows ending at epochs 100–102 with 345 distinct payers each, plus {@code extra}. */
  private static void release(double extra) {
    for (long e = 100; e <= 102; e++) {
      node.reputation().ingestCreatorRelease(self, e, List.of(new CreatorObservation(self, e, CREATOR,
          e - SPAN + 1, NODES, 345 + extra, 5_000_000, 2.8, 1_000_000, TAU)));
    }
    node.reputation().recompute(102);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static JsonNode report() throws Exception {
    TestHttp.Reply r = http.get("/api/reputation/Steady%20Maker");
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  @Test
  void theStatedBuyersMoveTheScoreByOnePointAndFewerDoNot() throws Exception {
    JsonNode before = report();
    JsonNode cost = before.path("cost_per_point");
    double score = before.path("score").asDouble();
    assertThat(score).isBetween(10.0, 90.0);
    assertThat(cost.path("reachable").asBoolean()).isTrue();
    JsonNode a = cost.path("assumptions");
    assertThat(a.path("platform").asText()).isEqualTo(self.hex());
    assertThat(a.path("platform_name").asText()).isEqualTo("shop");
    assertThat(a.path("window_epochs").asInt()).isEqualTo(SPAN);
    assertThat(a.path("window_nodes").asInt()).isEqualTo(NODES);
    assertThat(a.path("threshold").asDouble()).isEqualTo(TAU);
    assertThat(a.path("below_threshold").asBoolean()).isFalse();
    assertThat(a.path("amount_clamp").asBoolean()).as("sum noise 1,000 payers > the limit").isFalse();
    assertThat(a.path("noise_per_epoch").asDouble()).isCloseTo(2.8 / (SPAN * NODES / 2.0), within(0.01));
    double perWindow = cost.path("buyers_per_window").asDouble();
    assertThat(cost.path("buyers_per_epoch").asDouble() * SPAN).isCloseTo(perWindow, within(0.05));

    try {
      // Fewer buyers than stated: short of a point.
      release(perWindow * 0.9);
      double short1 = report().path("score").asDouble();
      assertThat(short1 - score).isBetween(0.5, 0.97);
      // The stated buyers, in every window the score reads: one point (the API rounds to hundredths).
      release(perWindow);
      JsonNode after = report();
      assertThat(after.path("evidence").asDouble() - before.path("evidence").asDouble())
          .as("evidence gained = evidence the API said was needed")
          .isCloseTo(cost.path("evidence_needed").asDouble(), within(0.02));
      assertThat(after.path("score").asDouble() - score).isCloseTo(1.0, within(0.02));
    } finally {
      release(0);
    }
    assertThat(report().path("score").asDouble()).isEqualTo(score);
  }

  @Test
  void thePageShowsTheFigureWithItsAssumptions() throws Exception {
    JsonNode cost = report().path("cost_per_point");
    TestHttp.Reply page = http.get("/creator/Steady%20Maker");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("What the next point costs")
        .contains("id=\"buyers-per-epoch\">" + Svg.num(cost.path("buyers_per_epoch").asDouble()) + "<")
        .contains("What this figure assumes").contains("trust weight 1")
        .contains("window of " + SPAN).contains("Any price counts");
  }

  @Test
  void aCreatorWithoutReleasesGetsTheFigureForAFullyTrustedPlatformAndItsThreshold() throws Exception {
    node.reputation().putCreators(Map.of("bafy-new", "Fresh Maker"));
    node.reputation().recompute(102);
    TestHttp.Reply r = http.get("/api/reputation/Fresh%20Maker");
    assertThat(r.status()).isEqualTo(200);
    JsonNode cost = r.json().path("cost_per_point");
    // From 0: ΔX = K / 99 payers per epoch at weight 1; nothing released, so the page also names the threshold.
    double k = node.reputation().config().halfScoreEvidence();
    int peak = node.reputation().config().peakEpochs();
    double decay = 0;
    for (int i = 0; i < peak; i++) {
      decay += Math.pow(0.5, i / node.reputation().config().halfLifeEpochs()) / peak;
    }
    assertThat(cost.path("buyers_per_epoch").asDouble()).isCloseTo(k / 99 / decay, within(0.01));
    assertThat(cost.at("/assumptions/platform").isNull()).isTrue();
    assertThat(cost.at("/assumptions/below_threshold").asBoolean()).isTrue();
  }
}
