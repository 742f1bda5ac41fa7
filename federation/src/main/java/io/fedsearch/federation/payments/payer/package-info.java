/**
 * The paying side: channels this node funds (durable cumulative totals, top-ups from the measured spend rate, idle
 * closes) and {@link io.fedsearch.federation.payments.payer.UserChannel} for wallets that are not nodes.
 */
package io.fedsearch.federation.payments.payer;
