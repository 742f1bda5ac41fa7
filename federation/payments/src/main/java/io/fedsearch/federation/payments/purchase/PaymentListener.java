package io.fedsearch.federation.payments.purchase;

/**
 * Told of every sale after it is durable. Called on the thread that completed the purchase; a listener must be quick
 * and must not throw (a failure is logged and does not undo the sale).
 */
@FunctionalInterface
public interface PaymentListener {
  void onPayment(PaymentEvent event);
}
