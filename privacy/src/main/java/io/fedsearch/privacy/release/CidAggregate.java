package io.fedsearch.privacy.release;

/** The bounded, not yet noised, totals of one CID in one epoch: distinct payers and clamped drops. */
public record CidAggregate(long payers, long drops) {}
