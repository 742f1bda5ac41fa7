package io.fedsearch.federation.payments.userwallet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A hub's terms from {@code GET /api/hub}: the XRPL account user channels pay into, the node key that signs its acks
 * and credit notes, and its fee ({@code fee_drops} + {@code fee_bps} of the price).
 */
public record HubTerms(String account, String peerId, String publicKey, long feeBps, long feeDrops, int inFlightLimit,
    long minSettleDelaySeconds) {

  public HubTerms {
    if (account == null || !account.startsWith("r") || account.length() < 25 || account.length() > 35) {
      throw new IllegalArgumentException("hub names no XRPL account");
    }
    if (feeBps < 0 || feeBps > 10_000 || feeDrops < 0) {
      throw new IllegalArgumentException("hub fee out of range: " + feeBps + " bps + " + feeDrops + " drops");
    }
  }

  /** Reads the terms of {@code GET /api/hub}; refuses a node that is not a hub. */
  public static HubTerms parse(JsonNode n) {
    if (!n.path("hub").asBoolean(false)) {
      throw new IllegalArgumentException("the node is not a hub");
    }
    return new HubTerms(n.path("account").asText(null), n.path("peer_id").asText(""), n.path("public_key").asText(""),
        n.path("fee_bps").asLong(0), n.path("fee_drops").asLong(0), n.path("in_flight_limit").asInt(1),
        n.path("min_settle_delay_s").asLong(0));
  }

  /**
   * The hub's fee on a purchase of {@code price} drops, as the hub computes it ({@code HubConfig.fee}): fixed drops
   * plus basis points of the price, rounded down. A hub that computes another figure refuses with fee_changed.
   */
  public long feeFor(long price) {
    return feeOn(price);
  }

  /**
   * The hub's fee on a listing of {@code platform} (a peer id): none on the hub's own listings, which it sells over
   * the user's channel itself and forwards nowhere (federation/HUB-API.md); else {@link #feeFor(long)}.
   */
  public long feeFor(String platform, long price) {
    return !peerId.isEmpty() && peerId.equals(platform) ? 0 : feeOn(price);
  }

  private long feeOn(long price) {
    // floor(price × bps / 10^4) without the product, which overflows for the largest prices
    return Math.addExact(feeDrops, (price / 10_000) * feeBps + (price % 10_000) * feeBps / 10_000);
  }
}
