package io.fedsearch.privacy.release;

/** The bounded, not yet noised, totals of one key (CID or creator) in one tree node: distinct payers, clamped drops. */
public record CidAggregate(long payers, long drops) {}
