package io.fedsearch.reputation.trust;

import io.fedsearch.core.keys.NodePublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Result of {@link PlatformTrust#compute}: global trust (sums to 1) and score weight in [0, 1] per platform. */
public final class TrustScores {
  private final List<NodePublicKey> platforms;
  private final double[] trust;
  private final double[] weight;
  private final Map<NodePublicKey, Integer> index = new HashMap<>();
  private final int iterations;
  private final boolean converged;

  TrustScores(List<NodePublicKey> platforms, double[] trust, double[] weight, int iterations, boolean converged) {
    this.platforms = List.copyOf(platforms);
    this.trust = trust;
    this.weight = weight;
    this.iterations = iterations;
    this.converged = converged;
    for (int i = 0; i < platforms.size(); i++) {
      index.put(platforms.get(i), i);
    }
  }

  public List<NodePublicKey> platforms() {
    return platforms;
  }

  /** Global EigenTrust value (0 for a platform never seen). */
  public double trust(NodePublicKey platform) {
    Integer i = index.get(platform);
    return i == null ? 0 : trust[i];
  }

  /** Weight of the platform's evidence in scores, {@code min(1, trust / mean pre-trusted trust)}; 0 if unknown. */
  public double weight(NodePublicKey platform) {
    Integer i = index.get(platform);
    return i == null ? 0 : weight[i];
  }

  public int iterations() {
    return iterations;
  }

  public boolean converged() {
    return converged;
  }
}
