/**
 * The receiving side of channels. Acceptance order for a claim: known channel (from the ledger, or from a signed
 * create presented earlier), signature with the channel's key (outside any lock), then under the channel's lock:
 * not closed, within the channel's amount, strictly above the highest accepted or in-flight amount, adding at least
 * the required increment, channel not expiring within the margin. The new amount is reserved, the claim queued to
 * the journal, and the acknowledgement returned only when the journal commit completes. Settlement turns the best
 * claim of due channels into signed PaymentChannelClaims in the outbox.
 */
package io.fedsearch.federation.payments.payee;
