package io.fedsearch.federation.payments.channel;

/** A claim, channel or purchase was refused: {@link #reason()} for machines, the message for the payer. */
public final class PaymentRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Rejection reason;

  public PaymentRejectedException(Rejection reason, String message) {
    super(reason.wireName() + ": " + message);
    this.reason = reason;
  }

  public Rejection reason() {
    return reason;
  }
}
