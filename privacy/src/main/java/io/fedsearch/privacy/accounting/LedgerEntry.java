package io.fedsearch.privacy.accounting;

import java.time.Instant;

/** One durable row of the budget ledger: a release's spend, when, and a note (e.g. the release's row count). */
public record LedgerEntry(long seq, Spend spend, Instant spentAt, String note) {}
