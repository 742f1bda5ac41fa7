package io.fedsearch.privacy.records;

import io.fedsearch.privacy.release.SignalRelease;
import java.time.Instant;

/**
 * A payment as the node learns it: the CID paid for (text form), the payer's account, the amount in drops, when,
 * and the creator of the work as its entry names it ("" for none; it feeds the per-creator release). The payer
 * account is turned into a keyed pseudonym before anything is stored and never leaves this object.
 */
public record PaymentEvent(String cid, String payer, long drops, Instant time, String creator) {
  /** 10^17 drops: all XRP there is. */
  public static final long MAX_DROPS = 100_000_000_000_000_000L;
  /** Longest creator name kept (characters). */
  public static final int MAX_CREATOR_CHARS = 1024;

  /** A payment for a work whose entry names no creator. */
  public PaymentEvent(String cid, String payer, long drops, Instant time) {
    this(cid, payer, drops, time, "");
  }

  public PaymentEvent {
    if (!SignalRelease.isCid(cid)) {
      throw new IllegalArgumentException("payment event cid must be 1-128 ASCII letters/digits (got \"" + cid + "\")");
    }
    if (payer == null || payer.isBlank() || payer.length() > 128) {
      throw new IllegalArgumentException("payment event payer must be 1-128 characters");
    }
    if (drops <= 0 || drops > MAX_DROPS) {
      throw new IllegalArgumentException("payment event drops must be in 1.." + MAX_DROPS + " (got " + drops + ")");
    }
    if (time == null) {
      throw new IllegalArgumentException("payment event needs a time");
    }
    creator = creator == null ? "" : creator;
    if (creator.length() > MAX_CREATOR_CHARS) {
      throw new IllegalArgumentException("payment event creator must be at most " + MAX_CREATOR_CHARS + " characters");
    }
  }

  @Override
  public String toString() {
    return "PaymentEvent[cid=" + cid + ", payer=<hidden>, drops=" + drops + ", time=" + time + ", creator=" + creator
        + "]";
  }
}
