package io.fedsearch.federation.payments.hub;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.channel.ChannelId;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.indexer.cid.Cid;
import io.fedsearch.indexer.identity.NodePublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A user's purchase through this hub (see federation/HUB-API.md): {@code requestId} (32 hex, the client's
 * idempotency key), the user→hub {@code channel}, its signed create while the hub does not know it, the user's
 * cumulative {@code claim} over it (absent when the user's credit covers the cost), what to buy ({@code cid} from
 * {@code platform} at {@code price}, credited to the serving node by {@code token}), the {@code hubFee} the user was
 * shown, and the user's {@code receiptKey} for that platform, which the platform's receipt names.
 */
public record HubRequest(String requestId, String channel, Optional<String> channelCreate, Optional<Claim> claim,
    Cid cid, PeerId platform, long price, long hubFee, String token, NodePublicKey receiptKey) {

  private static final Pattern REQUEST_ID = Pattern.compile("[0-9a-f]{32}");
  /** Longest attribution token taken (a token's proof path grows with the serving node's batch). */
  public static final int MAX_TOKEN_CHARS = 4096;
  /** Every XRP there is, in drops: no amount can be larger. */
  public static final long MAX_DROPS = 100_000_000_000_000_000L;
  /** Longest signed PaymentChannelCreate blob (hex) taken. */
  public static final int MAX_CREATE_HEX = 2048;

  public HubRequest {
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
      throw new IllegalArgumentException("request_id: 32 lower-case hex digits, chosen by the client");
    }
    channel = ChannelId.parse(channel);
    Objects.requireNonNull(channelCreate);
    Objects.requireNonNull(claim);
    channelCreate.ifPresent(c -> {
      if (c.length() > MAX_CREATE_HEX) {
        throw new IllegalArgumentException("channel_create: longer than " + MAX_CREATE_HEX + " hex characters");
      }
    });
    if (claim.isPresent() && !claim.get().channel().equals(channel)) {
      throw new IllegalArgumentException("claim: must be over the request's channel");
    }
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(receiptKey, "receipt_key");
    if (price <= 0 || hubFee < 0 || price > MAX_DROPS || hubFee > MAX_DROPS) {
      throw new IllegalArgumentException("price: a positive number of drops; hub_fee: at least 0; both at most "
          + MAX_DROPS + " (all XRP there is)");
    }
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      throw new IllegalArgumentException("token: the attribution token of the search result, at most "
          + MAX_TOKEN_CHARS + " characters");
    }
  }

  /** What the user pays the hub for it. */
  public long cost() {
    return Math.addExact(price, hubFee);
  }
}
