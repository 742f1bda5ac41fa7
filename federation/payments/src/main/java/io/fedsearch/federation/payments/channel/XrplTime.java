package io.fedsearch.federation.payments.channel;

import java.time.Instant;

/** Ledger time: seconds since 2000-01-01T00:00:00Z (the "Ripple epoch"). */
public final class XrplTime {
  public static final long RIPPLE_EPOCH = 946_684_800L;

  private XrplTime() {}

  public static long of(Instant t) {
    return t.getEpochSecond() - RIPPLE_EPOCH;
  }

  public static Instant toInstant(long rippleSeconds) {
    return Instant.ofEpochSecond(rippleSeconds + RIPPLE_EPOCH);
  }
}
