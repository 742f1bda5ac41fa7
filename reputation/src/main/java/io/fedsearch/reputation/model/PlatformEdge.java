package io.fedsearch.reputation.model;

import io.fedsearch.core.keys.NodePublicKey;
/**
 * Money that platform {@code from} paid platform {@code to} (discovery payouts and payments between nodes), in
 * drops. Paying is vouching: a platform pays another only for buyers that other one really brought it, so these
 * edges are the local trust of the EigenTrust computation. Only value that moved counts ({@code drops}: paid through
 * claims on a channel, or offset by netting); {@code accruedDrops}, what {@code from} owes {@code to} in total, is
 * carried for display and never enters trust — fees accrued from sales that never settle would otherwise buy trust
 * for nothing. Self-payments carry no trust and are rejected.
 */
public record PlatformEdge(NodePublicKey from, NodePublicKey to, long drops, long accruedDrops) {
  public PlatformEdge {
    if (from == null || to == null) {
      throw new IllegalArgumentException("edge: both platforms are required");
    }
    if (from.equals(to)) {
      throw new IllegalArgumentException("edge: a platform paying itself vouches for nothing (" + from + ")");
    }
    if (drops < 0 || drops > ReputationLimits.MAX_DROPS || accruedDrops < 0
        || accruedDrops > ReputationLimits.MAX_DROPS) {
      throw new IllegalArgumentException("edge: drops must be in [0, " + ReputationLimits.MAX_DROPS + "], got " + drops
          + " paid, " + accruedDrops + " accrued");
    }
  }

  /** An edge of value that moved and nothing owed beyond it. */
  public PlatformEdge(NodePublicKey from, NodePublicKey to, long drops) {
    this(from, to, drops, drops);
  }
}
