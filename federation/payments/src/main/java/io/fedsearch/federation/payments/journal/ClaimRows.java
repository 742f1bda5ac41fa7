package io.fedsearch.federation.payments.journal;

/**
 * The {@code claims} table: every statement over it (callers bind and run them). One row per claim a payee
 * accepted, written in the same group commit that acknowledges it; the best claim of a channel is read back from
 * here (the channel row is not rewritten per claim).
 */
public final class ClaimRows {
  /** An accepted claim: channel, amount, signature, accepted at (ms). */
  public static final String INSERT = "INSERT INTO claims(channel, amount, signature, accepted_at) VALUES(?,?,?,?)";
  /** A channel's best claim with its time: channel. */
  public static final String BEST = "SELECT amount, signature, accepted_at FROM claims"
      + " WHERE channel=? ORDER BY amount DESC LIMIT 1";
  /** A channel's best claim amount, 0 without one: channel. */
  public static final String BEST_AMOUNT = "SELECT coalesce(max(amount), 0) FROM claims WHERE channel=?";
  /** Every claim of a channel, lowest first: channel. */
  public static final String ALL_OF = "SELECT amount, signature FROM claims WHERE channel=? ORDER BY amount";
  /** The highest claim that fits an amount: channel, amount. */
  public static final String HIGHEST_UP_TO = "SELECT amount, signature FROM claims"
      + " WHERE channel=? AND amount<=? ORDER BY amount DESC LIMIT 1";
  /** The signature of the claim of one amount: channel, amount. */
  public static final String SIGNATURE_OF = "SELECT signature FROM claims WHERE channel=? AND amount=?";
  /** A channel's spending since a time: min/max amount, min/max time, count; channel, since (ms). */
  public static final String SPEND_SINCE = "SELECT min(amount), max(amount), min(accepted_at), max(accepted_at),"
      + " count(*) FROM claims WHERE channel=? AND accepted_at>=?";

  private ClaimRows() {}
}
