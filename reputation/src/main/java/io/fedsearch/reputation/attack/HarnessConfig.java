package io.fedsearch.reputation.attack;

import java.nio.file.Path;

/**
 * Parameters of the attack simulation. Defaults model a federation where the Debian catalog's platform is
 * pre-trusted, micro-priced content, and DP releases like the privacy module's (discrete Laplace, partition
 * selection).
 *
 * @param data debian.jsonl (creators, popularity)
 * @param seed every random draw derives from it
 * @param creators creators sampled from the file (deterministically by seed)
 * @param epochs simulated epochs; scores are read at the last one
 * @param honestPlatforms honest platforms (index 0 hosts the Debian catalog and is pre-trusted)
 * @param buyersPerPopularity genuine buyers per epoch of an item = this × (1 + popularity)
 * @param priceMin cheapest item, drops (prices are log-uniform between min and max)
 * @param priceMax dearest item, drops; also the release's per-payer clamp C
 * @param payerNoiseScale discrete Laplace scale of noisy payer counts
 * @param sumNoiseScale discrete Laplace scale of noisy sums (drops)
 * @param partitionThreshold a row is released only when its noisy payer count reaches this
 * @param identityCostDrops irrecoverable cost of one fresh payer identity (XRPL: AccountDelete burns the owner
 *     reserve, 200,000 drops at 2024 reserves; the 1 XRP base reserve is recovered)
 * @param discoveryShare share of a price the hosting platform pays the node that surfaced the purchase
 * @param maliciousShare share of each honest platform's discovery payouts that go to the malicious platform
 * @param ringSize creators in the collusion ring (attacker included)
 * @param attackers creators attacked, chosen across the honest score distribution
 */
public record HarnessConfig(
    Path data, long seed, int creators, int epochs, int honestPlatforms, double buyersPerPopularity, long priceMin,
    long priceMax, long payerNoiseScale, long sumNoiseScale, int partitionThreshold, long identityCostDrops,
    double discoveryShare, double maliciousShare, int ringSize, int attackers) {

  public HarnessConfig {
    if (creators < 2 || epochs < 2 || honestPlatforms < 2 || attackers < 1 || ringSize < 2) {
      throw new IllegalArgumentException("harness: need ≥ 2 creators, epochs, honest platforms, ring members and"
          + " ≥ 1 attacker");
    }
    if (!(buyersPerPopularity > 0) || priceMin < 1 || priceMax < priceMin || payerNoiseScale < 1
        || sumNoiseScale < 1 || partitionThreshold < 0 || identityCostDrops < 0) {
      throw new IllegalArgumentException("harness: rates, prices and noise scales must be positive");
    }
    if (!(discoveryShare > 0 && discoveryShare < 1) || !(maliciousShare >= 0 && maliciousShare < 1)) {
      throw new IllegalArgumentException("harness: shares must be in (0, 1)");
    }
  }

  /** Threshold so that one payer's row is released with probability at most δ: {@code 1 + ⌈t ln(1/δ)⌉}. */
  public static int thresholdFor(long payerNoiseScale, double delta) {
    return 1 + (int) Math.ceil(payerNoiseScale * Math.log(1 / delta));
  }

  public static HarnessConfig defaults(Path data) {
    return new HarnessConfig(data, 20251121L, 400, 20, 4, 2.0, 100, 10_000, 2, 20_000, thresholdFor(2, 1e-5),
        200_000, 0.1, 0.01, 50, 7);
  }

  public HarnessConfig withCreators(int n) {
    return new HarnessConfig(data, seed, n, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, identityCostDrops, discoveryShare, maliciousShare,
        ringSize, attackers);
  }

  public HarnessConfig withSeed(long s) {
    return new HarnessConfig(data, s, creators, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, identityCostDrops, discoveryShare, maliciousShare,
        ringSize, attackers);
  }

  public HarnessConfig withAttackers(int n) {
    return new HarnessConfig(data, seed, creators, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, identityCostDrops, discoveryShare, maliciousShare,
        ringSize, n);
  }

  public HarnessConfig withIdentityCost(long drops) {
    return new HarnessConfig(data, seed, creators, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, drops, discoveryShare, maliciousShare, ringSize,
        attackers);
  }

  /** Noise of the simulated releases: discrete Laplace scales of payer counts and sums, and the threshold. */
  public HarnessConfig withNoise(long payerScale, long sumScale, int threshold) {
    return new HarnessConfig(data, seed, creators, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerScale, sumScale, threshold, identityCostDrops, discoveryShare, maliciousShare, ringSize, attackers);
  }

  public HarnessConfig withEpochs(int n) {
    return new HarnessConfig(data, seed, creators, n, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, identityCostDrops, discoveryShare, maliciousShare,
        ringSize, attackers);
  }
}
