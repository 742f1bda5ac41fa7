package io.fedsearch.federation.payments.hub;

import io.fedsearch.federation.payments.channel.PaymentRejectedException;

/**
 * A purchase the hub refuses before it forwards anything (nothing was journaled, the user's claim was not taken):
 * a stable {@code code} a wallet acts on, the HTTP {@code status} that fits it, and for {@code over_balance} the
 * cumulative claim the purchase needs ({@code neededClaim}, else 0).
 */
public final class HubRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final long neededClaim;

  public HubRefusal(int status, String code, String message) {
    this(status, code, message, 0);
  }

  public HubRefusal(int status, String code, String message, long neededClaim) {
    super(message);
    this.status = status;
    this.code = code;
    this.neededClaim = neededClaim;
  }

  /** A refused user claim or channel, in the hub's codes. */
  static HubRefusal ofClaim(PaymentRejectedException e) {
    return switch (e.reason()) {
      case FORGED, MALFORMED, DECREASING, REPLAYED, UNDERPAID -> new HubRefusal(400, "bad_claim", e.getMessage());
      case UNKNOWN_CHANNEL, NOT_DESTINATION -> new HubRefusal(404, e.reason().wireName(), e.getMessage());
      default -> new HubRefusal(402, e.reason().wireName(), e.getMessage());
    };
  }

  /** The platform checks of the hub node's own listing, refused in the codes a platform answers with. */
  static HubRefusal ofSale(PaymentRejectedException e) {
    int status = switch (e.reason()) {
      case NOT_LISTED -> 404;
      case WRONG_PRICE, TOKEN_EXPIRED, TOKEN_REUSED -> 409;
      default -> 400;
    };
    return new HubRefusal(status, e.reason().wireName(), e.getMessage());
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public long neededClaim() {
    return neededClaim;
  }
}
