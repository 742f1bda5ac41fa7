/**
 * Multilateral netting: debts between nodes ({@link io.fedsearch.federation.payments.netting.DebtGraph}, learned
 * only from each debtor's own signed declaration), the cycles that can be cancelled
 * ({@link io.fedsearch.federation.payments.netting.CycleCancellation},
 * {@link io.fedsearch.federation.payments.netting.MaxCirculation}), the statement every party of a cycle signs
 * ({@link io.fedsearch.federation.payments.netting.CycleStatement}), and the protocol over the payout transport:
 * {@link io.fedsearch.federation.payments.netting.CycleCoordinator} proposes, every
 * {@link io.fedsearch.federation.payments.netting.CycleParty} pledges and signs, and the fully signed statement is
 * recorded by all of them or, when anyone does not sign, by none
 * ({@link io.fedsearch.federation.payments.netting.CycleJournal}).
 */
package io.fedsearch.federation.payments.netting;
