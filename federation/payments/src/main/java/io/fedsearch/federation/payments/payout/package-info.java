/**
 * Discovery fees between nodes: accrual per serving node, batched payouts as cumulative claims over the platform's
 * channel to the node, the {@code /fedsearch/payout/1.0.0} messages
 * ({@link io.fedsearch.federation.payments.payout.PayoutWire}: signed, addressed, dated, size-limited), the
 * {@link io.fedsearch.federation.payments.payout.PayoutTransport} they travel over, and netting of mutual debts by a
 * statement both nodes sign.
 */
package io.fedsearch.federation.payments.payout;
