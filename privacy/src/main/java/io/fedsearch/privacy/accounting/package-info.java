/**
 * The privacy budget: {@link io.fedsearch.privacy.accounting.PrivacyAccountant} composes releases (pure ε added;
 * zCDP ρ added then converted; partition-selection δ added) and refuses a release that would overspend the
 * per-epoch ε or the lifetime (ε, δ); {@link io.fedsearch.privacy.accounting.BudgetLedger} is the durable,
 * append-only record of what was spent, written in the same transaction as the release it pays for.
 */
package io.fedsearch.privacy.accounting;
