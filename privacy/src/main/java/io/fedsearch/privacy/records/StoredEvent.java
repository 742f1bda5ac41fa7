package io.fedsearch.privacy.records;

import java.time.Instant;

/** A decrypted payment event: row id, CID, the payer's pseudonym (hex of a keyed PRF), drops, time. */
public record StoredEvent(long id, String cid, String payerPseudonym, long drops, Instant time) {}
