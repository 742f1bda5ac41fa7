/**
 * The paying side: channels this node funds (durable cumulative totals, top-ups from the measured spend rate, idle
 * closes; with a ledger, amounts the validated ledger confirms and top-ups sized to what the account can pay) and
 * {@link io.fedsearch.federation.payments.payer.UserChannel} for wallets that are not nodes.
 */
package io.fedsearch.federation.payments.payer;
