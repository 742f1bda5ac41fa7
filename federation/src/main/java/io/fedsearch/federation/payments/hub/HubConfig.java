package io.fedsearch.federation.payments.hub;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;

/**
 * A hub's settings, the {@code "hub"} object of node.json (absent: not a hub). The fee a user pays on a price is
 * {@code feeDrops + price × feeBps / 10 000}; {@code inFlightLimit} purchases per user channel may be forwarded at
 * once (a user's exposure to this hub is at most that many costs); the hub opens channels of
 * {@code platformChannelDrops} (at least one price) to the platforms it pays, with {@code platformSettleDelay}
 * seconds; a purchase the hub's liquidity toward its platform cannot cover waits up to {@code liquidityWait} for a
 * top-up (only with a ledger: embedded, a new channel counts at once) before it is refused {@code liquidity}.
 */
public record HubConfig(boolean enabled, int feeBps, long feeDrops, int inFlightLimit, long platformChannelDrops,
    long platformSettleDelay, Duration liquidityWait) {

  private static final Set<String> KNOWN = Set.of("enabled", "fee_bps", "fee_drops", "in_flight_limit",
      "platform_channel_drops", "platform_settle_delay_s", "liquidity_wait_ms");

  public HubConfig {
    if (feeBps < 0 || feeBps > 10_000 || feeDrops < 0) {
      throw new IllegalArgumentException("hub fee_bps must be 0..10000 and fee_drops at least 0");
    }
    if (inFlightLimit < 1 || platformChannelDrops <= 0 || platformSettleDelay < 0 || liquidityWait.isNegative()) {
      throw new IllegalArgumentException("hub in_flight_limit must be at least 1, platform_channel_drops positive");
    }
  }

  /** Not a hub: the defaults a hub starts from (no fee, one purchase in flight, 100 XRP channels to platforms). */
  public static HubConfig disabled() {
    return new HubConfig(false, 0, 0, 1, 100_000_000, 86_400, Duration.ofSeconds(3));
  }

  /** Reads node.json's {@code "hub"} object; missing or null: {@link #disabled()}. Unknown fields are refused. */
  public static HubConfig fromJson(JsonNode h) {
    HubConfig d = disabled();
    if (h == null || h.isMissingNode() || h.isNull()) {
      return d;
    }
    if (!h.isObject()) {
      throw new IllegalArgumentException("\"hub\" must be an object");
    }
    h.fieldNames().forEachRemaining(f -> {
      if (!KNOWN.contains(f)) {
        throw new IllegalArgumentException("unknown hub setting \"" + f + "\"; known: " + KNOWN);
      }
    });
    return new HubConfig(h.path("enabled").asBoolean(false), h.path("fee_bps").asInt(d.feeBps),
        h.path("fee_drops").asLong(d.feeDrops), h.path("in_flight_limit").asInt(d.inFlightLimit),
        h.path("platform_channel_drops").asLong(d.platformChannelDrops),
        h.path("platform_settle_delay_s").asLong(d.platformSettleDelay),
        Duration.ofMillis(h.path("liquidity_wait_ms").asLong(d.liquidityWait.toMillis())));
  }

  /** The hub's fee on a purchase of {@code price} drops. */
  public long fee(long price) {
    // floor(price × bps / 10^4) without the product: 10^17 drops × 10^4 bps would overflow a long
    return feeDrops + (price / 10_000) * feeBps + (price % 10_000) * feeBps / 10_000;
  }
}
