package io.fedsearch.federation.payments.channel;

/** Why a claim, channel or purchase was refused; each comes with a message telling the payer what to do. */
public enum Rejection {
  MALFORMED,
  UNKNOWN_CHANNEL,
  NOT_DESTINATION,
  FORGED,
  OVER_BALANCE,
  REPLAYED,
  DECREASING,
  ABOUT_TO_EXPIRE,
  CHANNEL_CLOSED,
  UNDERPAID,
  TOKEN_FORGED,
  TOKEN_EXPIRED,
  TOKEN_CID_MISMATCH,
  TOKEN_REUSED,
  TOKEN_INVALID,
  HELD,
  UNCONFIRMED_LIMIT,
  LEDGER_UNAVAILABLE,
  NOT_LISTED,
  WRONG_PRICE,
  JOURNAL_FAILED;

  /** Lower-case wire name, e.g. {@code about_to_expire}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
