/**
 * The ledger side: {@link io.fedsearch.federation.payments.ledger.Ledger} (implemented over rippled's JSON-RPC by
 * {@link io.fedsearch.federation.payments.ledger.XrplLedger}), the durable
 * {@link io.fedsearch.federation.payments.ledger.Outbox} of signed transactions, and the
 * {@link io.fedsearch.federation.payments.ledger.Submitter} that sends them with LastLedgerSequence (one round at a
 * time), treats "not found" as final only when the server searched every ledger up to it, escalates fees after
 * expiry, fills Sequence gaps with no-op AccountSets and records finality. Without a configured rippled the outbox
 * simply keeps its rows, with hashes.
 */
package io.fedsearch.federation.payments.ledger;
