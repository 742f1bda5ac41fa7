package io.fedsearch.privacy.release;

import java.math.BigDecimal;

/**
 * The settings of one unit's tree node release: mechanism, (ε, δ), and contribution bounds L (keys per payer) and
 * C (drops per key per payer). {@link Calibration#of(UnitBudget)} turns it into noise scales and a threshold.
 */
public record UnitBudget(Unit unit, Mechanism mechanism, BigDecimal epsilon, BigDecimal delta, int maxKeysPerPayer,
    long maxDropsPerKey) {}
