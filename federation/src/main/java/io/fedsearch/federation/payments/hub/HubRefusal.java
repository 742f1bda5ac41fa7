package io.fedsearch.federation.payments.hub;

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
