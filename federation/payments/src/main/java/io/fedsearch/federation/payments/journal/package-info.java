/**
 * {@code payments.db}: the one durable store of payments (channels, accepted claims, outbox, sales, fees, payouts,
 * netting). Writers queue {@link io.fedsearch.federation.payments.journal.PaymentsDb.Write}s; a single committer
 * thread applies all writes waiting at that moment in one transaction and completes their futures only after the
 * commit (group commit). With WAL and {@code synchronous=FULL} the commit is synced, so one fsync covers a whole
 * batch while every acknowledged claim is on disk. A write must not wait for another write from inside the
 * committer thread; {@code write} refuses to, rather than deadlock. Every table is created by {@code Schema}'s
 * numbered steps, run when the database is opened (a node written by an earlier version upgrades).
 */
package io.fedsearch.federation.payments.journal;
