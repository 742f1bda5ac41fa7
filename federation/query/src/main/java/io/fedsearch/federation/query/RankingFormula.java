package io.fedsearch.federation.query;

import java.util.OptionalDouble;

/**
 * The one formula that turns text relevance and signals into the final score:
 *
 * <pre>
 *   final = text × (1 + α · ln(1 + signal / s)) × (1 + β · (reputation − 50) / 50)
 * </pre>
 *
 * {@code signal} is a work's released noisy payer count (clamped at 0: noise can make it negative), {@code s} its
 * scale, {@code reputation} the creator's score in [0, 100]. A missing signal or reputation leaves its factor at 1,
 * so with no signals at all the ranking is pure text relevance. The payment factor grows logarithmically — a
 * thousand payers do not bury a better text match under a popular one — and the reputation factor is bounded to
 * [1 − β, 1 + β]. Defaults: α = 0.15, s = 10, β = 0.2.
 */
public record RankingFormula(double alpha, double signalScale, double beta) {
  public static final RankingFormula DEFAULT = new RankingFormula(0.15, 10, 0.2);

  public RankingFormula {
    if (alpha < 0 || signalScale <= 0 || beta < 0 || beta >= 1) {
      throw new IllegalArgumentException("ranking: need α ≥ 0, signal scale > 0, 0 ≤ β < 1");
    }
  }

  public double combine(double text, OptionalDouble paymentSignal, OptionalDouble reputation) {
    double score = text;
    if (paymentSignal.isPresent()) {
      score *= 1 + alpha * Math.log1p(Math.max(0, paymentSignal.getAsDouble()) / signalScale);
    }
    if (reputation.isPresent()) {
      double r = Math.max(0, Math.min(100, reputation.getAsDouble()));
      score *= 1 + beta * (r - 50) / 50;
    }
    return score;
  }
}
