package io.fedsearch.federation.payments;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * Settings of a node's payments; {@link #defaults()} is the embedded setup (no ledger). Amounts are XRP drops
 * (1 XRP = 1,000,000 drops).
 *
 * @param rippledUrl JSON-RPC URL of a rippled server; empty = embedded mode (channels "unconfirmed on ledger",
 *     transactions wait in the outbox)
 * @param keyType type of a newly created account key (an existing key keeps its type)
 * @param expiryMargin a claim is refused when its channel expires sooner than this (time to settle it)
 * @param minSettleDelay shortest SettleDelay accepted in a channel someone opens to us
 * @param settleThreshold settle a channel when its unsettled value reaches this
 * @param settleBeforeExpiry settle a channel when it expires within this
 * @param settlePeriod settle any unsettled value at least this often
 * @param feeDrops transaction fee used when signing (the submitter raises it to the network's fee)
 * @param maxFeeDrops fee escalation cap
 * @param ledgerWindow LastLedgerSequence = validated ledger + this
 * @param maxSubmitAttempts submissions of one transaction before it is marked failed
 * @param discoveryShareBps discovery fee as a share of the price, in basis points (this platform's policy)
 * @param payoutMinDrops pay a node once it is owed this much ...
 * @param payoutMaxDelay ... or once its oldest unpaid fee is this old
 * @param payoutChannelDrops amount of a new payout channel
 * @param payoutSettleDelay SettleDelay of payout channels we open
 * @param topUpHorizon keep at least this much time of recent spending in a channel (top-up rule)
 * @param spendWindow spend rate is measured over this window
 * @param topUpCeilingDrops a top-up from the spend rate never takes a channel we pay into above this amount (what a
 *     payout needs now is still funded); guards against locking funds on a pace that does not last
 * @param idleClose close a channel we pay into after this long without claims
 * @param tokenMaxUses purchases allowed per attribution token
 * @param warnHorizon warn when a channel runs dry or expires within this
 * @param payerBaselineFactor anomaly: a payer spending more than this times its own baseline
 * @param anomalyMinSales anomaly checks on a node's referrals start after this many sales
 * @param minHumanDelay anomaly: purchases sooner than this after the search count as implausible
 * @param implausibleShare anomaly: hold a node when more than this share of its referrals are implausible
 * @param provisionalChannelCapDrops embedded mode: the most a channel known only from its signed create (nothing
 *     to confirm it against) may carry in accepted claims, whatever amount the create names
 * @param provisionalPayerCapDrops embedded mode: the most one payer account may carry in accepted claims over all
 *     its unconfirmed channels together
 * @param tokenMaxValidity an attribution token valid for longer than this (expiry minus issue time) is refused
 * @param holdExpiry an anomaly hold lapses after this unless an operator confirms it
 * @param maxIdleProvisionalChannels embedded mode: unconfirmed channels that never carried a claim are forgotten,
 *     oldest first, beyond this many (signing a create costs nothing, so they must not pile up in memory)
 * @param nettingPeriod how often a running node coordinates multilateral netting of the discovery fees it and its
 *     peers owe each other (debt cycles through it cancelled before they are paid); zero: never on its own
 */
public record PaymentsConfig(
    Optional<String> rippledUrl,
    KeyType keyType,
    Duration expiryMargin,
    long minSettleDelay,
    long settleThreshold,
    Duration settleBeforeExpiry,
    Duration settlePeriod,
    long feeDrops,
    long maxFeeDrops,
    int ledgerWindow,
    int maxSubmitAttempts,
    int discoveryShareBps,
    long payoutMinDrops,
    Duration payoutMaxDelay,
    long payoutChannelDrops,
    long payoutSettleDelay,
    Duration topUpHorizon,
    Duration spendWindow,
    long topUpCeilingDrops,
    Duration idleClose,
    int tokenMaxUses,
    Duration warnHorizon,
    double payerBaselineFactor,
    int anomalyMinSales,
    Duration minHumanDelay,
    double implausibleShare,
    long provisionalChannelCapDrops,
    long provisionalPayerCapDrops,
    Duration tokenMaxValidity,
    Duration holdExpiry,
    int maxIdleProvisionalChannels,
    Duration nettingPeriod) {

  public static PaymentsConfig defaults() {
    return new PaymentsConfig(Optional.empty(), KeyType.ED25519, Duration.ofHours(1), 3600, 10_000_000,
        Duration.ofHours(6), Duration.ofHours(24), 12, 2_000, 20, 5, 1000, 1_000_000, Duration.ofHours(1),
        100_000_000, 86_400, Duration.ofHours(6), Duration.ofHours(1), 1_000_000_000, Duration.ofDays(7), 1,
        Duration.ofHours(24), 10.0, 20, Duration.ofSeconds(2), 0.5, 100_000_000, 250_000_000, Duration.ofHours(6),
        Duration.ofDays(3), 100_000, Duration.ofMinutes(30));
  }

  /**
   * Reads the {@code "payments"} object of a node's {@code node.json}; absent fields keep their defaults. Known
   * fields: rippled_url, key_type (ed25519|secp256k1), discovery_share_bps, settle_threshold_drops,
   * settle_period_s, settle_before_expiry_s, expiry_margin_s, payout_min_drops, payout_max_delay_s,
   * token_max_uses, min_settle_delay_s, top_up_ceiling_drops, provisional_channel_cap_drops,
   * provisional_payer_cap_drops, token_max_validity_s, hold_expiry_s, max_idle_provisional_channels,
   * netting_period_s (0: never).
   */
  public static PaymentsConfig fromJson(com.fasterxml.jackson.databind.JsonNode p) {
    PaymentsConfig c = defaults();
    if (p == null || p.isMissingNode() || p.isNull()) {
      return c;
    }
    if (!p.isObject()) {
      throw new IllegalArgumentException("\"payments\" must be an object");
    }
    java.util.Set<String> known = java.util.Set.of("rippled_url", "key_type", "discovery_share_bps",
        "settle_threshold_drops", "settle_period_s", "settle_before_expiry_s", "expiry_margin_s",
        "payout_min_drops", "payout_max_delay_s", "token_max_uses", "min_settle_delay_s", "top_up_ceiling_drops",
        "provisional_channel_cap_drops", "provisional_payer_cap_drops", "token_max_validity_s", "hold_expiry_s",
        "max_idle_provisional_channels", "netting_period_s");
    p.fieldNames().forEachRemaining(f -> {
      if (!known.contains(f)) {
        throw new IllegalArgumentException("unknown payments setting \"" + f + "\"; known: " + known);
      }
    });
    if (p.hasNonNull("rippled_url")) {
      c = c.withRippledUrl(p.get("rippled_url").asText());
    }
    if (p.hasNonNull("key_type")) {
      c = c.withKeyType(KeyType.valueOf(p.get("key_type").asText().toUpperCase(java.util.Locale.ROOT)));
    }
    if (p.hasNonNull("discovery_share_bps")) {
      c = c.withDiscoveryShareBps(p.get("discovery_share_bps").asInt());
    }
    c = c.withSettlement(p.path("settle_threshold_drops").asLong(c.settleThreshold()),
        Duration.ofSeconds(p.path("settle_before_expiry_s").asLong(c.settleBeforeExpiry().toSeconds())),
        Duration.ofSeconds(p.path("settle_period_s").asLong(c.settlePeriod().toSeconds())));
    c = c.withPayoutBatching(p.path("payout_min_drops").asLong(c.payoutMinDrops()),
        Duration.ofSeconds(p.path("payout_max_delay_s").asLong(c.payoutMaxDelay().toSeconds())));
    c = c.withTopUpCeiling(p.path("top_up_ceiling_drops").asLong(c.topUpCeilingDrops()));
    PaymentsConfig read = c;
    return c.with(b -> {
      b.expiryMargin = Duration.ofSeconds(p.path("expiry_margin_s").asLong(read.expiryMargin.toSeconds()));
      b.minSettleDelay = p.path("min_settle_delay_s").asLong(read.minSettleDelay);
      b.tokenMaxUses = p.path("token_max_uses").asInt(read.tokenMaxUses);
    }).withProvisionalCaps(p.path("provisional_channel_cap_drops").asLong(read.provisionalChannelCapDrops),
        p.path("provisional_payer_cap_drops").asLong(read.provisionalPayerCapDrops))
        .withTokenValidityAndHoldExpiry(
            Duration.ofSeconds(p.path("token_max_validity_s").asLong(read.tokenMaxValidity.toSeconds())),
            Duration.ofSeconds(p.path("hold_expiry_s").asLong(read.holdExpiry.toSeconds())))
        .withMaxIdleProvisionalChannels(p.path("max_idle_provisional_channels")
            .asInt(read.maxIdleProvisionalChannels))
        .withNettingPeriod(Duration.ofSeconds(p.path("netting_period_s").asLong(read.nettingPeriod.toSeconds())));
  }

  /** Multilateral netting every {@code period} on a running node; zero: never on its own. */
  public PaymentsConfig withNettingPeriod(Duration period) {
    if (period.isNegative()) {
      throw new IllegalArgumentException("netting period must not be negative, got " + period.toSeconds() + " s");
    }
    return with(b -> b.nettingPeriod = period);
  }

  public PaymentsConfig withRippledUrl(String url) {
    return with(b -> b.rippledUrl = Optional.ofNullable(url));
  }

  public PaymentsConfig withKeyType(KeyType type) {
    return with(b -> b.keyType = type);
  }

  public PaymentsConfig withSettlement(long threshold, Duration beforeExpiry, Duration period) {
    return with(b -> {
      b.settleThreshold = threshold;
      b.settleBeforeExpiry = beforeExpiry;
      b.settlePeriod = period;
    });
  }

  public PaymentsConfig withPayoutBatching(long minDrops, Duration maxDelay) {
    return with(b -> {
      b.payoutMinDrops = minDrops;
      b.payoutMaxDelay = maxDelay;
    });
  }

  public PaymentsConfig withDiscoveryShareBps(int bps) {
    if (bps < 0 || bps > 10_000) {
      throw new IllegalArgumentException("discovery share must be 0..10000 basis points, got " + bps);
    }
    return with(b -> b.discoveryShareBps = bps);
  }

  /** Embedded mode's exposure caps on channels known only from their signed create (see the class docs). */
  public PaymentsConfig withProvisionalCaps(long perChannelDrops, long perPayerDrops) {
    if (perChannelDrops < 0 || perPayerDrops < 0) {
      throw new IllegalArgumentException("provisional caps must not be negative");
    }
    return with(b -> {
      b.provisionalChannelCapDrops = perChannelDrops;
      b.provisionalPayerCapDrops = perPayerDrops;
    });
  }

  /** Embedded mode: how many unconfirmed channels without a claim are kept (the oldest beyond are forgotten). */
  public PaymentsConfig withMaxIdleProvisionalChannels(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max idle provisional channels must be at least 1, got " + max);
    }
    return with(b -> b.maxIdleProvisionalChannels = max);
  }

  /** How long an attribution token may be valid at most, and how long an unconfirmed anomaly hold lasts. */
  public PaymentsConfig withTokenValidityAndHoldExpiry(Duration maxValidity, Duration holdExpiry) {
    if (maxValidity.isNegative() || maxValidity.isZero() || holdExpiry.isNegative() || holdExpiry.isZero()) {
      throw new IllegalArgumentException("token validity and hold expiry must be positive");
    }
    return with(b -> {
      b.tokenMaxValidity = maxValidity;
      b.holdExpiry = holdExpiry;
    });
  }

  public PaymentsConfig withTopUpCeiling(long drops) {
    if (drops <= 0) {
      throw new IllegalArgumentException("top-up ceiling must be positive drops, got " + drops);
    }
    return with(b -> b.topUpCeilingDrops = drops);
  }

  /** Amount of a new payout channel (and what a payout's top-up adds beyond its need). */
  public PaymentsConfig withPayoutChannelDrops(long drops) {
    if (drops <= 0) {
      throw new IllegalArgumentException("payout channel amount must be positive drops, got " + drops);
    }
    return with(b -> b.payoutChannelDrops = drops);
  }

  /** A copy with what {@code change} sets: the fields are listed only in {@link Copy}, not in every with-method. */
  private PaymentsConfig with(Consumer<Copy> change) {
    Copy b = new Copy(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a config being copied with changes. */
  private static final class Copy {
    Optional<String> rippledUrl;
    KeyType keyType;
    Duration expiryMargin;
    long minSettleDelay;
    long settleThreshold;
    Duration settleBeforeExpiry;
    Duration settlePeriod;
    long feeDrops;
    long maxFeeDrops;
    int ledgerWindow;
    int maxSubmitAttempts;
    int discoveryShareBps;
    long payoutMinDrops;
    Duration payoutMaxDelay;
    long payoutChannelDrops;
    long payoutSettleDelay;
    Duration topUpHorizon;
    Duration spendWindow;
    long topUpCeilingDrops;
    Duration idleClose;
    int tokenMaxUses;
    Duration warnHorizon;
    double payerBaselineFactor;
    int anomalyMinSales;
    Duration minHumanDelay;
    double implausibleShare;
    long provisionalChannelCapDrops;
    long provisionalPayerCapDrops;
    Duration tokenMaxValidity;
    Duration holdExpiry;
    int maxIdleProvisionalChannels;
    Duration nettingPeriod;

    Copy(PaymentsConfig c) {
      rippledUrl = c.rippledUrl;
      keyType = c.keyType;
      expiryMargin = c.expiryMargin;
      minSettleDelay = c.minSettleDelay;
      settleThreshold = c.settleThreshold;
      settleBeforeExpiry = c.settleBeforeExpiry;
      settlePeriod = c.settlePeriod;
      feeDrops = c.feeDrops;
      maxFeeDrops = c.maxFeeDrops;
      ledgerWindow = c.ledgerWindow;
      maxSubmitAttempts = c.maxSubmitAttempts;
      discoveryShareBps = c.discoveryShareBps;
      payoutMinDrops = c.payoutMinDrops;
      payoutMaxDelay = c.payoutMaxDelay;
      payoutChannelDrops = c.payoutChannelDrops;
      payoutSettleDelay = c.payoutSettleDelay;
      topUpHorizon = c.topUpHorizon;
      spendWindow = c.spendWindow;
      topUpCeilingDrops = c.topUpCeilingDrops;
      idleClose = c.idleClose;
      tokenMaxUses = c.tokenMaxUses;
      warnHorizon = c.warnHorizon;
      payerBaselineFactor = c.payerBaselineFactor;
      anomalyMinSales = c.anomalyMinSales;
      minHumanDelay = c.minHumanDelay;
      implausibleShare = c.implausibleShare;
      provisionalChannelCapDrops = c.provisionalChannelCapDrops;
      provisionalPayerCapDrops = c.provisionalPayerCapDrops;
      tokenMaxValidity = c.tokenMaxValidity;
      holdExpiry = c.holdExpiry;
      maxIdleProvisionalChannels = c.maxIdleProvisionalChannels;
      nettingPeriod = c.nettingPeriod;
    }

    PaymentsConfig build() {
      return new PaymentsConfig(rippledUrl, keyType, expiryMargin, minSettleDelay, settleThreshold, settleBeforeExpiry,
          settlePeriod, feeDrops, maxFeeDrops, ledgerWindow, maxSubmitAttempts, discoveryShareBps,
          payoutMinDrops, payoutMaxDelay, payoutChannelDrops, payoutSettleDelay, topUpHorizon,
          spendWindow, topUpCeilingDrops, idleClose, tokenMaxUses, warnHorizon, payerBaselineFactor,
          anomalyMinSales, minHumanDelay, implausibleShare, provisionalChannelCapDrops, provisionalPayerCapDrops,
          tokenMaxValidity, holdExpiry, maxIdleProvisionalChannels, nettingPeriod);
    }
  }
}
