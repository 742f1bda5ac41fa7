package io.fedsearch.federation.payments.payee;

import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.channel.ChannelTerms;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import java.time.Instant;
import java.util.Optional;

/**
 * The terms this node takes in a channel paid to it: it is the destination, the amount is positive, the
 * SettleDelay leaves time to settle ({@code minSettleDelay}) and CancelAfter is not within {@code expiryMargin}.
 * One policy for every way a channel is learned — a signed create, the ledger on a first claim, every refresh from
 * the ledger — so a channel the ledger reports is held to the same rules as one a buyer presents.
 */
final class TermsPolicy {
  private final String me;
  private final PaymentsConfig config;

  TermsPolicy(String me, PaymentsConfig config) {
    this.me = me;
    this.config = config;
  }

  /** Throws {@link PaymentRejectedException} naming the first term this node does not accept. */
  void check(ChannelTerms t, Instant now) {
    refusal(t, now).ifPresent(e -> {
      throw e;
    });
  }

  /** The refusal {@link #check} would throw, if any. */
  Optional<PaymentRejectedException> refusal(ChannelTerms t, Instant now) {
    if (!t.destination().equals(me)) {
      return Optional.of(new PaymentRejectedException(Rejection.NOT_DESTINATION,
          "channel " + t.id() + " pays " + t.destination() + ", not this node (" + me + "): open it to " + me));
    }
    if (t.amount() <= 0) {
      return Optional.of(new PaymentRejectedException(Rejection.MALFORMED, "channel amount must be positive"));
    }
    if (t.settleDelaySeconds() < config.minSettleDelay()) {
      return Optional.of(new PaymentRejectedException(Rejection.MALFORMED, "SettleDelay " + t.settleDelaySeconds()
          + " s is shorter than this node's minimum " + config.minSettleDelay() + " s: open with a longer delay"));
    }
    Optional<Instant> cancelAfter = t.cancelAfter();
    if (cancelAfter.isPresent() && !cancelAfter.get().isAfter(now.plus(config.expiryMargin()))) {
      return Optional.of(new PaymentRejectedException(Rejection.ABOUT_TO_EXPIRE, "CancelAfter " + cancelAfter.get()
          + " leaves less than " + config.expiryMargin() + " to settle: open a channel that lives longer"));
    }
    return Optional.empty();
  }
}
