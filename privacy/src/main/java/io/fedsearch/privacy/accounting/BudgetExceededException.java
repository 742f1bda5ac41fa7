package io.fedsearch.privacy.accounting;

/** A release was refused because it would overspend the per-epoch or lifetime privacy budget. Nothing was spent. */
public final class BudgetExceededException extends Exception {
  public BudgetExceededException(String message) {
    super(message);
  }
}
