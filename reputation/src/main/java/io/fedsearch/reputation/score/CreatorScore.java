package io.fedsearch.reputation.score;

import java.util.List;

/**
 * One creator's score as of one epoch: score in [0, 100], its interval, the trust-weighted evidence behind it (in
 * credited payers) and its standard deviation (DP noise and sampling), and each platform's contribution.
 */
public record CreatorScore(
    int epoch, double score, double low, double high, double evidence, double evidenceStddev,
    List<PlatformContribution> platforms) {}
