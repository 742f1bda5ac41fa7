package io.fedsearch.reputation.score;

/**
 * Evidence → score: {@code score(X) = 100 · X / (X + K)}. A fresh identity has X = 0 and scores 0, the lowest
 * score there is; each further unit of evidence is worth less ({@code dS/dX = (100 - S)² / (100 K)}), so the
 * score never reaches 100 and the last points cost the most.
 */
public final class ScoreFunction {
  private ScoreFunction() {}

  public static double score(double evidence, double halfScoreEvidence) {
    if (!(evidence > 0)) {
      return 0;
    }
    return 100 * evidence / (evidence + halfScoreEvidence);
  }

  /** The evidence needed for {@code score} (inverse of {@link #score}); infinite at 100. */
  public static double evidenceFor(double score, double halfScoreEvidence) {
    if (score <= 0) {
      return 0;
    }
    if (score >= 100) {
      return Double.POSITIVE_INFINITY;
    }
    return halfScoreEvidence * score / (100 - score);
  }
}
