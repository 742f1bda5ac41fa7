package io.fedsearch.reputation.model;

import io.fedsearch.core.keys.NodePublicKey;
/**
 * One row of one platform's differentially private signal release for one epoch: for content {@code cid}, the
 * noisy number of distinct payers and the noisy sum they paid (drops, after the release's per-payer clamp), with
 * the standard deviations of the noise that was added and the release's partition-selection threshold (rows appear
 * only when the noisy payer count reaches it), all from the release's mechanism parameters. Noisy values may be
 * negative or fractional; that is the point of the noise. The counts cover epochs {@code windowStart .. epoch}, the
 * sum of {@code nodes} tree nodes of continual release; a per-epoch release has {@code windowStart == epoch} and one
 * node.
 */
public record SignalObservation(
    NodePublicKey platform, long epoch, String cid, double noisyPayers, double noisySum, double payerNoiseStddev,
    double sumNoiseStddev, double releaseThreshold, long windowStart, int nodes) {

  /** A row of a per-epoch release. */
  public SignalObservation(NodePublicKey platform, long epoch, String cid, double noisyPayers, double noisySum,
      double payerNoiseStddev, double sumNoiseStddev, double releaseThreshold) {
    this(platform, epoch, cid, noisyPayers, noisySum, payerNoiseStddev, sumNoiseStddev, releaseThreshold, epoch, 1);
  }

  public SignalObservation {
    if (platform == null) {
      throw new IllegalArgumentException("observation: platform is required");
    }
    if (epoch < 0 || epoch > ReputationLimits.MAX_EPOCH) {
      throw new IllegalArgumentException("observation: epoch must be in [0, " + ReputationLimits.MAX_EPOCH + "], got "
          + epoch);
    }
    if (cid == null || cid.isEmpty() || cid.length() > ReputationLimits.CID_CHARS) {
      throw new IllegalArgumentException("observation: cid must be 1.." + ReputationLimits.CID_CHARS + " chars");
    }
    finite("noisyPayers", noisyPayers);
    finite("noisySum", noisySum);
    nonNegative("payerNoiseStddev", payerNoiseStddev);
    nonNegative("sumNoiseStddev", sumNoiseStddev);
    nonNegative("releaseThreshold", releaseThreshold);
    window("observation", epoch, windowStart, nodes);
  }

  /** Epochs the counts cover. */
  public int span() {
    return (int) (epoch - windowStart + 1);
  }

  /** Checks a window {@code windowStart .. epoch} of {@code nodes} tree nodes (shared with CreatorObservation). */
  static void window(String what, long epoch, long windowStart, int nodes) {
    if (windowStart < 0 || windowStart > epoch || epoch - windowStart >= CreatorObservation.MAX_WINDOW) {
      throw new IllegalArgumentException(what + ": need 0 <= window start <= epoch and a window of at most "
          + CreatorObservation.MAX_WINDOW + " epochs, got " + windowStart + ".." + epoch);
    }
    if (nodes < 1 || nodes > 64 || nodes > epoch - windowStart + 1) {
      throw new IllegalArgumentException(what + ": nodes must be in 1..min(64, window), got " + nodes);
    }
  }

  /** Checks a noisy value (shared with {@link CreatorObservation}). */
  static void finite(String name, double v) {
    if (!Double.isFinite(v) || Math.abs(v) > ReputationLimits.MAX_NOISY_VALUE) {
      throw new IllegalArgumentException("observation: " + name + " must be finite and |x| <= "
          + ReputationLimits.MAX_NOISY_VALUE + ", got " + v);
    }
  }

  /** Checks a stddev or threshold (shared with {@link CreatorObservation}). */
  static void nonNegative(String name, double v) {
    if (!Double.isFinite(v) || v < 0 || v > ReputationLimits.MAX_NOISY_VALUE) {
      throw new IllegalArgumentException("observation: " + name + " must be a finite stddev >= 0, got " + v);
    }
  }
}
