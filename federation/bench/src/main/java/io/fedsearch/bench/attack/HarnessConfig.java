package io.fedsearch.bench.attack;

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
 * @param creatorUnit releases carry the creator unit (one row per creator, each payer counted once for it, as the
 *     privacy module's release does) besides the CID rows; false simulates CID rows only
 * @param treeLevels continual release of the creator unit: trees of 2^(levels-1) epochs, each release the running
 *     total over its window (1 to 2 trees), each tree node drawn once (the privacy module's {@code EpochTree})
 * @param maxCreatorsPerPayer L of the creator unit: creators one payer counts toward per tree node
 * @param maxDropsPerCreator C of the creator unit: drops one payer adds to one creator's sum per tree node
 * @param provisionalCapDrops what a node counts, per epoch, of sales on channels the ledger has not confirmed (0 with a
 *     ledger: such claims are refused; an embedded node's provisional exposure cap otherwise)
 */
public record HarnessConfig(
    Path data, long seed, int creators, int epochs, int honestPlatforms, double buyersPerPopularity, long priceMin,
    long priceMax, long payerNoiseScale, long sumNoiseScale, int partitionThreshold, long identityCostDrops,
    double discoveryShare, double maliciousShare, int ringSize, int attackers, boolean creatorUnit, int treeLevels,
    int maxCreatorsPerPayer, long maxDropsPerCreator, long provisionalCapDrops) {

  public HarnessConfig {
    if (creators < 2 || epochs < 2 || honestPlatforms < 2 || attackers < 1 || ringSize < 2) {
      throw new IllegalArgumentException("harness: need ≥ 2 creators, epochs, honest platforms, ring members and"
          + " ≥ 1 attacker");
    }
    if (!(buyersPerPopularity > 0) || priceMin < 1 || priceMax < priceMin || payerNoiseScale < 1
        || sumNoiseScale < 1 || partitionThreshold < 0 || identityCostDrops < 0 || provisionalCapDrops < 0) {
      throw new IllegalArgumentException("harness: rates, prices and noise scales must be positive");
    }
    if (!(discoveryShare > 0 && discoveryShare < 1) || !(maliciousShare >= 0 && maliciousShare < 1)) {
      throw new IllegalArgumentException("harness: shares must be in (0, 1)");
    }
    if (treeLevels < 1 || treeLevels > 16 || maxCreatorsPerPayer < 1 || maxDropsPerCreator < 1) {
      throw new IllegalArgumentException("harness: tree levels in 1..16, creator bounds ≥ 1");
    }
  }

  /** Threshold so that one payer's row is released with probability at most δ: {@code 1 + ⌈t ln(1/δ)⌉}. */
  public static int thresholdFor(long payerNoiseScale, double delta) {
    return 1 + (int) Math.ceil(payerNoiseScale * Math.log(1 / delta));
  }

  /** Creator unit with continual release over trees of 32 epochs, L = 2 creators and C = 4 XRP per payer. */
  public static HarnessConfig defaults(Path data) {
    return new HarnessConfig(data, 20251121L, 400, 64, 4, 2.0, 100, 10_000, 2, 20_000, thresholdFor(2, 1e-5),
        200_000, 0.1, 0.01, 50, 7, true, 6, 2, 4_000_000, 0);
  }

  public HarnessConfig withCreators(int n) {
    return new HarnessConfig(data, seed, n, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, identityCostDrops, discoveryShare, maliciousShare,
        ringSize, attackers, creatorUnit, treeLevels, maxCreatorsPerPayer, maxDropsPerCreator, provisionalCapDrops);
  }

  public HarnessConfig withSeed(long s) {
    return new HarnessConfig(data, s, creators, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, identityCostDrops, discoveryShare, maliciousShare,
        ringSize, attackers, creatorUnit, treeLevels, maxCreatorsPerPayer, maxDropsPerCreator, provisionalCapDrops);
  }

  public HarnessConfig withAttackers(int n) {
    return new HarnessConfig(data, seed, creators, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, identityCostDrops, discoveryShare, maliciousShare,
        ringSize, n, creatorUnit, treeLevels, maxCreatorsPerPayer, maxDropsPerCreator, provisionalCapDrops);
  }

  public HarnessConfig withIdentityCost(long drops) {
    return new HarnessConfig(data, seed, creators, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, drops, discoveryShare, maliciousShare, ringSize,
        attackers, creatorUnit, treeLevels, maxCreatorsPerPayer, maxDropsPerCreator, provisionalCapDrops);
  }

  /** Noise of the simulated releases: discrete Laplace scales of payer counts and sums, and the threshold. */
  public HarnessConfig withNoise(long payerScale, long sumScale, int threshold) {
    return new HarnessConfig(data, seed, creators, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerScale, sumScale, threshold, identityCostDrops, discoveryShare, maliciousShare, ringSize, attackers,
        creatorUnit, treeLevels, maxCreatorsPerPayer, maxDropsPerCreator, provisionalCapDrops);
  }

  public HarnessConfig withEpochs(int n) {
    return new HarnessConfig(data, seed, creators, n, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, identityCostDrops, discoveryShare, maliciousShare,
        ringSize, attackers, creatorUnit, treeLevels, maxCreatorsPerPayer, maxDropsPerCreator, provisionalCapDrops);
  }

  /** Which unit reputation reads: the creator unit with continual release over {@code levels}, or CID rows only. */
  public HarnessConfig withCreatorUnit(boolean on, int levels) {
    return new HarnessConfig(data, seed, creators, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, identityCostDrops, discoveryShare, maliciousShare,
        ringSize, attackers, on, levels, maxCreatorsPerPayer, maxDropsPerCreator, provisionalCapDrops);
  }

  /** An embedded node's cap on unconfirmed-channel sales it counts per epoch (0: a node with a ledger). */
  public HarnessConfig withProvisionalCap(long drops) {
    return new HarnessConfig(data, seed, creators, epochs, honestPlatforms, buyersPerPopularity, priceMin, priceMax,
        payerNoiseScale, sumNoiseScale, partitionThreshold, identityCostDrops, discoveryShare, maliciousShare,
        ringSize, attackers, creatorUnit, treeLevels, maxCreatorsPerPayer, maxDropsPerCreator, drops);
  }
}
