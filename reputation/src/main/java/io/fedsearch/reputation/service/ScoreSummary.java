package io.fedsearch.reputation.service;

/** What a search result shows next to a creator: score, interval and evidence as of the snapshot's epoch. */
public record ScoreSummary(String creator, long epoch, double score, double low, double high, double evidence) {}
