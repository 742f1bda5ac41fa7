package io.fedsearch.reputation.score;

/**
 * What one platform contributes to one creator's score (the breakdown per platform and per signal).
 *
 * @param platform platform index in the table
 * @param weight the platform's trust weight in [0, 1]
 * @param evidence credited payers from this platform (mean of its best decayed epochs), before the cap and weight
 * @param credited {@code weight · min(evidence, cap)}: what enters the creator's total evidence
 * @param noiseVariance variance of {@code evidence} due to the releases' DP noise
 * @param payerSignal the same statistic computed from the noisy distinct-payer counts alone
 * @param amountSignal the same from the noisy sums alone, in payers (sum / credited drops per payer)
 * @param epochs epochs of this platform within the window that carried rows for the creator
 */
public record PlatformContribution(
    int platform, double weight, double evidence, double credited, double noiseVariance, double payerSignal,
    double amountSignal, int epochs) {}
