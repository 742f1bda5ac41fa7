/**
 * Payment events at rest: encrypted with a Tink AEAD keyset, payer replaced by a Tink PRF pseudonym, row-bound
 * associated data, key rotation. See {@link io.fedsearch.privacy.records.PaymentRecords} for the row format and
 * {@link io.fedsearch.privacy.records.RecordKeys} for the keysets. Raw events never leave the node: only releases
 * do.
 */
package io.fedsearch.privacy.records;
