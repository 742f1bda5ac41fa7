package io.fedsearch.privacy.release;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * The privacy settings of a node. Every value is checked on construction; a bad one fails with an {@link
 * InvalidPrivacyConfigException} naming its key. ε and δ are kept as exact decimals because the samplers take
 * exact rationals.
 *
 * <p>Defaults, and why:
 *
 * <ul>
 *   <li>{@code privacy.mechanism = laplace}: pure ε-DP, simplest to explain; {@code gaussian} is better when L is
 *       large (its noise grows with √L instead of L).
 *   <li>{@code privacy.epsilon = 1} per epoch, {@code privacy.delta = 1e-6} per epoch (spent by partition
 *       selection, and for the Gaussian half of it by the zCDP conversion).
 *   <li>{@code privacy.epoch-seconds = 86400}: one release a day.
 *   <li>{@code privacy.max-cids-per-payer = 2} (L): a payer is counted for at most 2 CIDs per tree node; noise
 *       grows linearly in L while the counts of a catalog's works shrink about in proportion, so ranking loses
 *       little (bench dp: 0.952 at L = 2 against 0.938 at L = 4, ε = 1).
 *   <li>{@code privacy.max-drops-per-cid = 2000000} (C, 2 XRP): a payer's contribution to one CID's sum is
 *       clamped at a typical content price, so a whale cannot dominate or be singled out by the sum.
 *   <li>{@code privacy.lifetime-epsilon = 100}, {@code privacy.lifetime-delta = 1e-4}: about three months of
 *       daily releases at the default ε before the node must stop publishing signals (or be reconfigured).
 *   <li>{@code privacy.creator-share = 0.3}: the share of each epoch's ε and δ spent on the creator unit (a
 *       creator pools the payers of all its works, so it needs less); the rest goes to the CID unit.
 *   <li>{@code privacy.max-creators-per-payer = 2}, {@code privacy.max-drops-per-creator = 4000000}: the creator
 *       unit's L and C.
 *   <li>{@code privacy.tree-levels = 6}: continual release over trees of 32 epochs, so a release's window covers
 *       the last 32 to 63 epochs.
 * </ul>
 *
 * <p>The bounds L and C hold per payer per <em>tree node</em> (a node spans 1 to 32 epochs), which is what makes
 * each node's release a release about a payer's whole activity (see {@code privacy/README.md}).
 */
public record ReleaseConfig(
    Mechanism mechanism,
    BigDecimal epsilon,
    BigDecimal delta,
    int maxCidsPerPayer,
    long maxDropsPerCid,
    Duration epochLength,
    BigDecimal lifetimeEpsilon,
    BigDecimal lifetimeDelta,
    BigDecimal creatorShare,
    int maxCreatorsPerPayer,
    long maxDropsPerCreator,
    int treeLevels) {
  public static final String KEY_MECHANISM = "privacy.mechanism";
  public static final String KEY_EPSILON = "privacy.epsilon";
  public static final String KEY_DELTA = "privacy.delta";
  public static final String KEY_MAX_CIDS = "privacy.max-cids-per-payer";
  public static final String KEY_MAX_DROPS = "privacy.max-drops-per-cid";
  public static final String KEY_EPOCH_SECONDS = "privacy.epoch-seconds";
  public static final String KEY_LIFETIME_EPSILON = "privacy.lifetime-epsilon";
  public static final String KEY_LIFETIME_DELTA = "privacy.lifetime-delta";
  public static final String KEY_CREATOR_SHARE = "privacy.creator-share";
  public static final String KEY_MAX_CREATORS = "privacy.max-creators-per-payer";
  public static final String KEY_MAX_DROPS_CREATOR = "privacy.max-drops-per-creator";
  public static final String KEY_TREE_LEVELS = "privacy.tree-levels";
  /** Largest per-epoch ε accepted. */
  public static final BigDecimal MAX_EPSILON = BigDecimal.valueOf(100);

  /** Largest L accepted: beyond it the noise would drown any signal. */
  public static final int MAX_L = 1000;
  /** Largest C accepted: 10^12 drops = one million XRP. */
  public static final long MAX_C = 1_000_000_000_000L;
  /** Most decimal places accepted in ε and δ (keeps the exact rationals small). */
  public static final int MAX_SCALE = 12;

  public ReleaseConfig {
    if (mechanism == null) {
      throw new InvalidPrivacyConfigException(KEY_MECHANISM, "is missing");
    }
    epsilon = positive(KEY_EPSILON, epsilon);
    if (epsilon.compareTo(MAX_EPSILON) > 0) {
      throw new InvalidPrivacyConfigException(KEY_EPSILON, "must be at most 100 (got " + epsilon + ")");
    }
    delta = probability(KEY_DELTA, delta);
    if (maxCidsPerPayer < 1 || maxCidsPerPayer > MAX_L) {
      throw new InvalidPrivacyConfigException(KEY_MAX_CIDS, "must be in 1.." + MAX_L + " (got " + maxCidsPerPayer + ")");
    }
    if (maxDropsPerCid < 1 || maxDropsPerCid > MAX_C) {
      throw new InvalidPrivacyConfigException(KEY_MAX_DROPS, "must be in 1.." + MAX_C + " (got " + maxDropsPerCid + ")");
    }
    if (epochLength == null || epochLength.getSeconds() < 60 || epochLength.getNano() != 0) {
      throw new InvalidPrivacyConfigException(
          KEY_EPOCH_SECONDS, "must be a whole number of seconds, at least 60 (got " + epochLength + ")");
    }
    lifetimeEpsilon = positive(KEY_LIFETIME_EPSILON, lifetimeEpsilon);
    lifetimeDelta = probability(KEY_LIFETIME_DELTA, lifetimeDelta);
    if (lifetimeEpsilon.compareTo(epsilon) < 0) {
      throw new InvalidPrivacyConfigException(
          KEY_LIFETIME_EPSILON, "must be at least " + KEY_EPSILON + " (" + lifetimeEpsilon + " < " + epsilon + ")");
    }
    if (lifetimeDelta.compareTo(delta) < 0) {
      throw new InvalidPrivacyConfigException(
          KEY_LIFETIME_DELTA, "must be at least " + KEY_DELTA + " (" + lifetimeDelta + " < " + delta + ")");
    }
    creatorShare = probability(KEY_CREATOR_SHARE, creatorShare);
    if (maxCreatorsPerPayer < 1 || maxCreatorsPerPayer > MAX_L) {
      throw new InvalidPrivacyConfigException(KEY_MAX_CREATORS, "must be in 1.." + MAX_L + " (got "
          + maxCreatorsPerPayer + ")");
    }
    if (maxDropsPerCreator < 1 || maxDropsPerCreator > MAX_C) {
      throw new InvalidPrivacyConfigException(KEY_MAX_DROPS_CREATOR, "must be in 1.." + MAX_C + " (got "
          + maxDropsPerCreator + ")");
    }
    if (treeLevels < 1 || treeLevels > EpochTree.MAX_LEVELS) {
      throw new InvalidPrivacyConfigException(KEY_TREE_LEVELS, "must be in 1.." + EpochTree.MAX_LEVELS + " (got "
          + treeLevels + ")");
    }
    for (Unit u : Unit.values()) {
      if (split(u == Unit.CREATOR, epsilon, creatorShare).signum() <= 0
          || split(u == Unit.CREATOR, delta, creatorShare).signum() <= 0) {
        throw new InvalidPrivacyConfigException(KEY_CREATOR_SHARE, "leaves no ε or δ to the " + u.wireName()
            + " unit (got " + creatorShare + ")");
      }
    }
  }

  /** The settings of one unit's node releases: its share of the epoch's (ε, δ) and its own bounds. */
  public UnitBudget unit(Unit unit) {
    boolean creator = unit == Unit.CREATOR;
    return new UnitBudget(unit, mechanism, split(creator, epsilon, creatorShare), split(creator, delta, creatorShare),
        creator ? maxCreatorsPerPayer : maxCidsPerPayer, creator ? maxDropsPerCreator : maxDropsPerCid);
  }

  /** The creator part of {@code total} (its share, rounded down to 2 × {@link #MAX_SCALE} places) or the rest. */
  private static BigDecimal split(boolean creator, BigDecimal total, BigDecimal creatorShare) {
    BigDecimal c = total.multiply(creatorShare).setScale(2 * MAX_SCALE, RoundingMode.DOWN).stripTrailingZeros();
    BigDecimal v = creator ? c : total.subtract(c).stripTrailingZeros();
    return v.scale() < 0 ? v.setScale(0) : v;
  }

  public static ReleaseConfig defaults() {
    return new ReleaseConfig(Mechanism.LAPLACE, BigDecimal.ONE, new BigDecimal("1e-6"), 2, 2_000_000L,
        Duration.ofDays(1), BigDecimal.valueOf(100), new BigDecimal("1e-4"), new BigDecimal("0.3"), 2, 4_000_000L,
        6);
  }

  /**
   * Settings from string properties (the node's configuration); absent keys take the defaults. Unparsable or
   * out-of-range values fail naming their key.
   */
  public static ReleaseConfig fromProperties(Map<String, String> props) {
    ReleaseConfig d = defaults();
    return new ReleaseConfig(
        props.containsKey(KEY_MECHANISM) ? Mechanism.parse(props.get(KEY_MECHANISM)) : d.mechanism,
        decimal(props, KEY_EPSILON, d.epsilon),
        decimal(props, KEY_DELTA, d.delta),
        (int) integer(props, KEY_MAX_CIDS, d.maxCidsPerPayer),
        integer(props, KEY_MAX_DROPS, d.maxDropsPerCid),
        Duration.ofSeconds(integer(props, KEY_EPOCH_SECONDS, d.epochLength.getSeconds())),
        decimal(props, KEY_LIFETIME_EPSILON, d.lifetimeEpsilon),
        decimal(props, KEY_LIFETIME_DELTA, d.lifetimeDelta),
        decimal(props, KEY_CREATOR_SHARE, d.creatorShare),
        (int) integer(props, KEY_MAX_CREATORS, d.maxCreatorsPerPayer),
        integer(props, KEY_MAX_DROPS_CREATOR, d.maxDropsPerCreator),
        (int) integer(props, KEY_TREE_LEVELS, d.treeLevels));
  }

  public ReleaseConfig withMechanism(Mechanism m) {
    return new ReleaseConfig(m, epsilon, delta, maxCidsPerPayer, maxDropsPerCid, epochLength, lifetimeEpsilon,
        lifetimeDelta, creatorShare, maxCreatorsPerPayer, maxDropsPerCreator, treeLevels);
  }

  public ReleaseConfig withEpsilon(BigDecimal e) {
    return new ReleaseConfig(mechanism, e, delta, maxCidsPerPayer, maxDropsPerCid, epochLength,
        lifetimeEpsilon.max(e), lifetimeDelta, creatorShare, maxCreatorsPerPayer, maxDropsPerCreator, treeLevels);
  }

  public ReleaseConfig withDelta(BigDecimal d) {
    return new ReleaseConfig(mechanism, epsilon, d, maxCidsPerPayer, maxDropsPerCid, epochLength, lifetimeEpsilon,
        lifetimeDelta.max(d), creatorShare, maxCreatorsPerPayer, maxDropsPerCreator, treeLevels);
  }

  /** The CID unit's L and C. */
  public ReleaseConfig withBounds(int l, long c) {
    return new ReleaseConfig(mechanism, epsilon, delta, l, c, epochLength, lifetimeEpsilon, lifetimeDelta,
        creatorShare, maxCreatorsPerPayer, maxDropsPerCreator, treeLevels);
  }

  /** The creator unit's L and C. */
  public ReleaseConfig withCreatorBounds(int l, long c) {
    return new ReleaseConfig(mechanism, epsilon, delta, maxCidsPerPayer, maxDropsPerCid, epochLength,
        lifetimeEpsilon, lifetimeDelta, creatorShare, l, c, treeLevels);
  }

  public ReleaseConfig withCreatorShare(BigDecimal share) {
    return new ReleaseConfig(mechanism, epsilon, delta, maxCidsPerPayer, maxDropsPerCid, epochLength,
        lifetimeEpsilon, lifetimeDelta, share, maxCreatorsPerPayer, maxDropsPerCreator, treeLevels);
  }

  public ReleaseConfig withTreeLevels(int levels) {
    return new ReleaseConfig(mechanism, epsilon, delta, maxCidsPerPayer, maxDropsPerCid, epochLength,
        lifetimeEpsilon, lifetimeDelta, creatorShare, maxCreatorsPerPayer, maxDropsPerCreator, levels);
  }

  public ReleaseConfig withEpochLength(Duration length) {
    return new ReleaseConfig(mechanism, epsilon, delta, maxCidsPerPayer, maxDropsPerCid, length, lifetimeEpsilon,
        lifetimeDelta, creatorShare, maxCreatorsPerPayer, maxDropsPerCreator, treeLevels);
  }

  public ReleaseConfig withLifetime(BigDecimal lifeEps, BigDecimal lifeDelta) {
    return new ReleaseConfig(mechanism, epsilon, delta, maxCidsPerPayer, maxDropsPerCid, epochLength, lifeEps,
        lifeDelta, creatorShare, maxCreatorsPerPayer, maxDropsPerCreator, treeLevels);
  }

  /** The epoch number containing {@code epochSecond} (seconds since 1970): whole epochs since 1970. */
  public long epochOf(long epochSecond) {
    return Math.floorDiv(epochSecond, epochLength.getSeconds());
  }

  private static BigDecimal positive(String key, BigDecimal v) {
    if (v == null) {
      throw new InvalidPrivacyConfigException(key, "is missing");
    }
    if (v.signum() <= 0) {
      throw new InvalidPrivacyConfigException(key, "must be > 0 (got " + v.toPlainString() + ")");
    }
    return scaled(key, v);
  }

  private static BigDecimal probability(String key, BigDecimal v) {
    v = positive(key, v);
    if (v.compareTo(BigDecimal.ONE) >= 0) {
      throw new InvalidPrivacyConfigException(key, "must be < 1 (got " + v.toPlainString() + ")");
    }
    return v;
  }

  private static BigDecimal scaled(String key, BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    if (s.scale() > MAX_SCALE) {
      throw new InvalidPrivacyConfigException(key, "may have at most " + MAX_SCALE + " decimal places (got " + v + ")");
    }
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  private static BigDecimal decimal(Map<String, String> props, String key, BigDecimal dflt) {
    String raw = props.get(key);
    if (raw == null) {
      return dflt;
    }
    try {
      return new BigDecimal(raw.trim());
    } catch (NumberFormatException e) {
      throw new InvalidPrivacyConfigException(key, "is not a decimal number (got \"" + raw + "\")");
    }
  }

  private static long integer(Map<String, String> props, String key, long dflt) {
    String raw = props.get(key);
    if (raw == null) {
      return dflt;
    }
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new InvalidPrivacyConfigException(key, "is not an integer (got \"" + raw + "\")");
    }
  }
}
