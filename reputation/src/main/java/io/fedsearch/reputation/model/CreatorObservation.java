package io.fedsearch.reputation.model;

import io.fedsearch.core.keys.NodePublicKey;
/**
 * One row of one platform's release for the creator unit: for {@code creator}, the noisy number of distinct payers
 * and the noisy sum they paid over the release's window {@code windowStart .. epoch} (a running total of continual
 * release, the sum of {@code nodes} independently bounded and noised tree nodes; {@code windowStart == epoch} and
 * {@code nodes == 1} for a per-epoch release), with the noise standard deviations of the row and the release's
 * partition-selection threshold. The release names creators by a key; whoever builds this resolves it to the
 * creator name entries carry.
 */
public record CreatorObservation(
    NodePublicKey platform, long epoch, String creator, long windowStart, int nodes, double noisyPayers,
    double noisySum, double payerNoiseStddev, double sumNoiseStddev, double releaseThreshold) {
  /** Longest window accepted (epochs): continual release over trees of up to 2^15 epochs covers at most twice that. */
  public static final long MAX_WINDOW = 1L << 16;

  public CreatorObservation {
    if (platform == null) {
      throw new IllegalArgumentException("creator observation: platform is required");
    }
    if (epoch < 0 || epoch > ReputationLimits.MAX_EPOCH) {
      throw new IllegalArgumentException("creator observation: epoch must be in [0, " + ReputationLimits.MAX_EPOCH
          + "], got " + epoch);
    }
    SignalObservation.window("creator observation", epoch, windowStart, nodes);
    if (creator == null || creator.isBlank() || creator.length() > ReputationLimits.CREATOR_CHARS) {
      throw new IllegalArgumentException("creator observation: creator must be 1.." + ReputationLimits.CREATOR_CHARS
          + " chars");
    }
    SignalObservation.finite("noisyPayers", noisyPayers);
    SignalObservation.finite("noisySum", noisySum);
    SignalObservation.nonNegative("payerNoiseStddev", payerNoiseStddev);
    SignalObservation.nonNegative("sumNoiseStddev", sumNoiseStddev);
    SignalObservation.nonNegative("releaseThreshold", releaseThreshold);
  }

  /** Epochs the counts cover. */
  public int span() {
    return (int) (epoch - windowStart + 1);
  }
}
