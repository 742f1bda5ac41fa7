package io.fedsearch.reputation.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.reputation.model.ReputationConfig;

/**
 * What one more point of score costs a creator in genuine demand: how many more distinct paying buyers, per epoch
 * and sustained, on which platform, move the score from S to S + 1 — read off the model itself (step numbers are
 * reputation/README.md's), at the trust weight, window, threshold and noise of the creator's latest release.
 *
 * <pre>
 *   ΔX = K · (S + 1) / (99 − S) − X                          evidence (credited payers per epoch) for one point
 *   D  = (1/k) · Σ_{i<k} 2^(−i/H)                             steady demand's share of the k best decayed epochs
 *   f  = max(1, nodes / 2)                                    a window is credited as if it summed ≤ 2 tree nodes
 *   r  = ΔX · f / (coef · w · D)                              more distinct buyers per epoch, sustained
 * </pre>
 *
 * The buyers go to the creator's best platform (coef 1, weight w) while its evidence stays under the cap; past the
 * cap they count only on another platform, at coef β_P (the figure assumes that platform stays under its own cap:
 * a creator capped everywhere is past what buyers can add). A platform with no evidence for the creator yet first
 * takes the release's threshold τ off each window. Figures are for genuine, distinct buyers who each pay at least
 * {@code creditedDropsPerPayer} in the epoch when the release's sums are precise enough for the amount clamp to bind.
 *
 * @param score the score now (S)
 * @param evidence trust-weighted evidence now (X, credited payers per epoch)
 * @param evidenceNeeded ΔX; infinite when the score is already within a point of 100
 * @param platform index of the platform the buyers would come through; −1 when no platform has released rows for
 *     the creator (a fully trusted platform is assumed), or when only a new platform could add more (one as
 *     trusted as the best is assumed); per-epoch releases are assumed for −1
 * @param bestPlatform whether that platform is the creator's best one (else its best one is at the cap)
 * @param weight that platform's trust weight w
 * @param coefficient 1 on the best platform, β_P on another
 * @param decayShare D
 * @param span epochs the platform's latest release for the creator covers (1 for a per-epoch release)
 * @param nodes tree nodes summed by that release (1 for a per-epoch release)
 * @param buyersPerEpoch r; infinite when unreachable (weight 0, or the score within a point of 100)
 * @param threshold τ of that release: distinct payers a window needs before any count
 * @param belowThreshold the platform has no evidence for the creator yet, so up to τ more per window come first
 * @param noisePerEpoch one release's payer noise (standard deviation) in evidence units: a change smaller than this
 *     is not told apart from noise by a single release
 * @param amountClamp whether the release's sums are precise enough that a buyer counts fully only once they paid
 *     {@code creditedDropsPerPayer} drops in the epoch (otherwise any price counts)
 * @param creditedDropsPerPayer m
 */
public record PointCost(
    double score, double evidence, double evidenceNeeded, int platform, boolean bestPlatform, double weight,
    double coefficient, double decayShare, int span, int nodes, double buyersPerEpoch, double threshold,
    boolean belowThreshold, double noisePerEpoch, boolean amountClamp, long creditedDropsPerPayer) {

  /** The cost of {@code now}'s next point for {@code creator}, from the rows the score was computed from. */
  public static PointCost of(ReputationConfig cfg, SignalTable t, ScoreEngine.Index index, int creator, int epoch,
      CreatorScore now) {
    double k = cfg.halfScoreEvidence();
    double needed = now.score() + 1 >= 100 ? Double.POSITIVE_INFINITY
        : Math.max(0, ScoreFunction.evidenceFor(now.score() + 1, k) - now.evidence());
    double decayShare = 0;
    for (int i = 0; i < cfg.peakEpochs(); i++) {
      decayShare += Math.pow(0.5, i / cfg.halfLifeEpochs());
    }
    decayShare /= cfg.peakEpochs();

    PlatformContribution best = null;
    PlatformContribution other = null;
    for (PlatformContribution p : now.platforms()) {
      if (best == null || p.credited() > best.credited()) {
        best = p;
      }
    }
    for (PlatformContribution p : now.platforms()) {
      if (p != best && (other == null || p.weight() > other.weight())) {
        other = p; // past the best platform's cap, the most trusted other one adds the most
      }
    }
    PlatformContribution via = best;
    boolean onBest = true;
    if (best != null && best.weight() > 0
        && best.evidence() + needed / best.weight() > cfg.platformEvidenceCap()) {
      // the best platform would pass its cap: only another platform can add more (none yet: one as trusted)
      via = other;
      onBest = false;
    }
    int platform = via == null ? -1 : via.platform();
    double weight = via != null ? via.weight() : best != null ? best.weight() : 1;
    double coef = onBest ? 1 : cfg.otherPlatformWeight();
    Release r = platform < 0 ? new Release(1, 1, 0, 0, 0) : latest(t, index, creator, epoch, platform, cfg);
    double credit = Math.max(1.0, r.nodes / (double) CreatorEvaluator.CREDITED_NODES);
    double perEpoch = weight > 0 && coef > 0 ? needed * credit / (coef * weight * decayShare)
        : Double.POSITIVE_INFINITY;
    boolean clamp = r.sumSd / cfg.creditedDropsPerPayer() <= cfg.amountNoiseLimit();
    return new PointCost(now.score(), now.evidence(), needed, platform, onBest, weight, coef, decayShare, r.span,
        r.nodes, perEpoch, r.threshold, via == null || via.evidence() <= 0, r.payerSd / (r.span * credit), clamp,
        cfg.creditedDropsPerPayer());
  }

  /** The parts of a release this cost depends on. */
  private record Release(int span, int nodes, double threshold, double payerSd, double sumSd) {}

  /** The platform's latest release (within the decay horizon) with a row for the creator; creator unit first. */
  private static Release latest(SignalTable t, ScoreEngine.Index index, int creator, int epoch, int platform,
      ReputationConfig cfg) {
    int found = -1;
    for (int j = index.start()[creator]; j < index.start()[creator + 1]; j++) {
      int rel = t.rowRelease(index.order()[j]);
      int e = t.releaseEpoch(rel);
      if (t.releasePlatform(rel) != platform || e > epoch || epoch - e > cfg.maxAgeEpochs()) {
        continue;
      }
      if (found < 0 || e > t.releaseEpoch(found)
          || (e == t.releaseEpoch(found) && t.releaseIsCreatorUnit(rel) && !t.releaseIsCreatorUnit(found))) {
        found = rel;
      }
    }
    if (found < 0) {
      return new Release(1, 1, 0, 0, 0);
    }
    return new Release(t.releaseSpan(found), t.releaseNodes(found), t.releaseThreshold(found),
        t.releasePayerSd(found), t.releaseSumSd(found));
  }

  /** Distinct buyers a whole window needs: {@code buyersPerEpoch} in each of its {@code span} epochs. */
  public double buyersPerWindow() {
    return buyersPerEpoch * span;
  }

  /** Whether more genuine buyers can move the score at all (a platform with trust, a score below 99). */
  public boolean reachable() {
    return Double.isFinite(buyersPerEpoch);
  }

  /** JSON for {@code GET /api/reputation/{creator}}'s {@code cost_per_point}; {@code platformKey} null if none. */
  public ObjectNode toJsonNode(String platformKey) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("reachable", reachable());
    o.put("score", round(score));
    o.put("target", round(Math.min(100, score + 1)));
    o.put("evidence", round(evidence));
    putFinite(o, "evidence_needed", evidenceNeeded);
    putFinite(o, "buyers_per_epoch", buyersPerEpoch);
    putFinite(o, "buyers_per_window", buyersPerWindow());
    ObjectNode a = o.putObject("assumptions");
    if (platformKey == null) {
      a.putNull("platform");
    } else {
      a.put("platform", platformKey);
    }
    a.put("best_platform", bestPlatform);
    a.put("trust_weight", round4(weight));
    a.put("coefficient", coefficient);
    a.put("decay_share", round4(decayShare));
    a.put("window_epochs", span);
    a.put("window_nodes", nodes);
    a.put("threshold", round(threshold));
    a.put("below_threshold", belowThreshold);
    a.put("noise_per_epoch", round(noisePerEpoch));
    a.put("amount_clamp", amountClamp);
    a.put("credited_drops_per_payer", creditedDropsPerPayer);
    return o;
  }

  private static void putFinite(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, round(v));
    } else {
      o.putNull(field);
    }
  }

  /** Two decimals, as the report's other figures. */
  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static double round4(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
