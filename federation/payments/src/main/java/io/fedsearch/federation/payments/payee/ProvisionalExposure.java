package io.fedsearch.federation.payments.payee;

import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Embedded mode (no ledger) has nothing to confirm a channel against, so a channel learned from a signed create is
 * provisional: its accepted claims count as value only up to {@code perChannel}, and one payer account's
 * provisional claims over all its channels only up to {@code perPayer}. A buyer who signs a create for any amount
 * it likes therefore still cannot make this node accept (and owe discovery fees on) more than the caps.
 */
final class ProvisionalExposure {
  private final long perChannel;
  private final long perPayer;
  /** Payer account → drops accepted or reserved over its unconfirmed channels. One entry per such payer. */
  private final ConcurrentHashMap<String, AtomicLong> byPayer = new ConcurrentHashMap<>();

  ProvisionalExposure(long perChannel, long perPayer) {
    this.perChannel = perChannel;
    this.perPayer = perPayer;
  }

  /** Counts a provisional channel's accepted value read back on start. */
  void load(String payer, long accepted) {
    if (accepted > 0) {
      byPayer.computeIfAbsent(payer, k -> new AtomicLong()).addAndGet(accepted);
    }
  }

  /**
   * Reserves {@code increment} more for {@code payer}, bringing the channel to {@code cumulative}; throws when a cap
   * would be passed. Release the reservation with {@link #release} if the claim is not accepted after all.
   */
  void reserve(String channel, String payer, long cumulative, long increment) {
    if (cumulative > perChannel) {
      throw new PaymentRejectedException(Rejection.UNCONFIRMED_LIMIT, "channel " + channel
          + " is unconfirmed (no ledger here to confirm it) and carries at most " + perChannel
          + " drops of claims: settle it on the ledger or open another");
    }
    AtomicLong total = byPayer.computeIfAbsent(payer, k -> new AtomicLong());
    if (total.addAndGet(increment) > perPayer) {
      total.addAndGet(-increment);
      throw new PaymentRejectedException(Rejection.UNCONFIRMED_LIMIT, "payer " + payer + " already has "
          + total.get() + " drops on unconfirmed channels; this node accepts at most " + perPayer
          + " per payer until they are on the ledger");
    }
  }

  void release(String payer, long increment) {
    AtomicLong total = byPayer.get(payer);
    if (total != null) {
      total.addAndGet(-increment);
    }
  }

  /** What {@code payer} has accepted or reserved on unconfirmed channels. */
  long of(String payer) {
    AtomicLong total = byPayer.get(payer);
    return total == null ? 0 : total.get();
  }

  long perChannel() {
    return perChannel;
  }
}
