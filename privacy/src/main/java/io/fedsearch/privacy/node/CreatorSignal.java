package io.fedsearch.privacy.node;

/**
 * One node's released signal for one creator, from that node's latest verified release: noisy distinct payers
 * and noisy drops over the release's window ({@code windowStart..epoch}); {@code countStddev} is the standard
 * deviation of the payer count's noise (at most {@code nodes} independent draws at the unit's count scale).
 */
public record CreatorSignal(String nodeKey, long epoch, long windowStart, String creatorKey, long noisyPayers,
    long noisySum, int nodes, String countScale, String sumScale, long threshold) {}
