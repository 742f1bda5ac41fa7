package io.fedsearch.reputation.service;

import io.fedsearch.core.keys.NodePublicKey;
import java.util.Optional;

/**
 * Filters of {@code GET /api/reputation?top=}: how many, only creators with evidence from one platform, at least
 * this much evidence (credited payers) and at least this score.
 */
public record LeaderboardQuery(int top, Optional<NodePublicKey> platform, double minEvidence, double minScore) {
  public static final int MAX_TOP = 1_000;

  public LeaderboardQuery {
    if (top < 1 || top > MAX_TOP) {
      throw new IllegalArgumentException("top must be in [1, " + MAX_TOP + "], got " + top);
    }
    if (platform == null) {
      platform = Optional.empty();
    }
    if (!(minEvidence >= 0) || !Double.isFinite(minEvidence)) {
      throw new IllegalArgumentException("min evidence must be a finite number >= 0, got " + minEvidence);
    }
    if (!(minScore >= 0) || minScore > 100) {
      throw new IllegalArgumentException("min score must be in [0, 100], got " + minScore);
    }
  }

  public static LeaderboardQuery top(int n) {
    return new LeaderboardQuery(n, Optional.empty(), 0, 0);
  }
}
