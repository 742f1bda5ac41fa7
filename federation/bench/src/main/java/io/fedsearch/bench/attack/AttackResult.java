package io.fedsearch.bench.attack;

/**
 * One row of the attack table. Costs are drops per score point, medians over the attacked creators (the attack's
 * cheapest strategy against each; the honest rise of the same creators); {@code ratio} is their quotient (the typical
 * creator), {@code ratioMin} the worst single creator's attack/honest ratio, disclosed beside it. {@code capped}: the
 * attack cannot raise the score by 10 points from what it controls (then {@code maxGainPoints} is the most it got);
 * {@code meetsGoal}: capped, or ratio ≥ 10 against every attacked creator ({@code ratioMin ≥ 10}). NaN stands for
 * "not applicable" (printed as JSON null).
 */
public record AttackResult(
    String attack, double costPerPoint, double honestCostPerPoint, double ratio, double ratioMin,
    boolean capped, double maxGainPoints, boolean meetsGoal, String strategy) {}
