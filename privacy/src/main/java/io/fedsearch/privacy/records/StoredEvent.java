package io.fedsearch.privacy.records;

import java.time.Instant;

/**
 * A decrypted payment event: row id, CID, the payer's pseudonym (hex of a keyed PRF), drops, time, and the creator
 * of the work paid for ("" when the entry names none, or the event was stored before creators were recorded).
 */
public record StoredEvent(long id, String cid, String payerPseudonym, long drops, Instant time, String creator) {}
