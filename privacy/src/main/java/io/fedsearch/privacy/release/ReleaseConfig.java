package io.fedsearch.privacy.release;

import java.math.BigDecimal;
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
 *   <li>{@code privacy.max-cids-per-payer = 4} (L): a payer is counted for at most 4 CIDs an epoch; more than that
 *       a day is rare for paid content, and noise grows linearly in L.
 *   <li>{@code privacy.max-drops-per-cid = 2000000} (C, 2 XRP): a payer's contribution to one CID's sum is
 *       clamped at a typical content price, so a whale cannot dominate or be singled out by the sum.
 *   <li>{@code privacy.lifetime-epsilon = 100}, {@code privacy.lifetime-delta = 1e-4}: about three months of
 *       daily releases at the default ε before the node must stop publishing signals (or be reconfigured).
 * </ul>
 */
public record ReleaseConfig(
    Mechanism mechanism,
    BigDecimal epsilon,
    BigDecimal delta,
    int maxCidsPerPayer,
    long maxDropsPerCid,
    Duration epochLength,
    BigDecimal lifetimeEpsilon,
    BigDecimal lifetimeDelta) {
  public static final String KEY_MECHANISM = "privacy.mechanism";
  public static final String KEY_EPSILON = "privacy.epsilon";
  public static final String KEY_DELTA = "privacy.delta";
  public static final String KEY_MAX_CIDS = "privacy.max-cids-per-payer";
  public static final String KEY_MAX_DROPS = "privacy.max-drops-per-cid";
  public static final String KEY_EPOCH_SECONDS = "privacy.epoch-seconds";
  public static final String KEY_LIFETIME_EPSILON = "privacy.lifetime-epsilon";
  public static final String KEY_LIFETIME_DELTA = "privacy.lifetime-delta";

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
    if (epsilon.compareTo(BigDecimal.valueOf(100)) > 0) {
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
  }

  public static ReleaseConfig defaults() {
    return new ReleaseConfig(Mechanism.LAPLACE, BigDecimal.ONE, new BigDecimal("1e-6"), 4, 2_000_000L,
        Duration.ofDays(1), BigDecimal.valueOf(100), new BigDecimal("1e-4"));
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
        decimal(props, KEY_LIFETIME_DELTA, d.lifetimeDelta));
  }

  public ReleaseConfig withMechanism(Mechanism m) {
    return new ReleaseConfig(m, epsilon, delta, maxCidsPerPayer, maxDropsPerCid, epochLength, lifetimeEpsilon,
        lifetimeDelta);
  }

  public ReleaseConfig withEpsilon(BigDecimal e) {
    return new ReleaseConfig(mechanism, e, delta, maxCidsPerPayer, maxDropsPerCid, epochLength,
        lifetimeEpsilon.max(e), lifetimeDelta);
  }

  public ReleaseConfig withDelta(BigDecimal d) {
    return new ReleaseConfig(mechanism, epsilon, d, maxCidsPerPayer, maxDropsPerCid, epochLength, lifetimeEpsilon,
        lifetimeDelta.max(d));
  }

  public ReleaseConfig withBounds(int l, long c) {
    return new ReleaseConfig(mechanism, epsilon, delta, l, c, epochLength, lifetimeEpsilon, lifetimeDelta);
  }

  public ReleaseConfig withLifetime(BigDecimal lifeEps, BigDecimal lifeDelta) {
    return new ReleaseConfig(mechanism, epsilon, delta, maxCidsPerPayer, maxDropsPerCid, epochLength, lifeEps,
        lifeDelta);
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
