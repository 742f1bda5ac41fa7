package io.fedsearch.indexer.importer;

import java.util.List;

/**
 * Outcome of one import: counts per outcome and the rejected lines (the first {@link #MAX_ERRORS} kept in full; the
 * count is always exact). {@code unpriced} counts accepted entries without a price, which every page shows as free:
 * an operator should hear about them.
 */
public record ImportReport(
    String source, long lines, long added, long replaced, long unchanged, long deleted, long rejected,
    List<LineError> errors, long millis, long unpriced) {
  public static final int MAX_ERRORS = 1000;

  /** A rejected line: its 1-based number, the field at fault (null for the whole line) and why. */
  public record LineError(long line, String field, String message) {}

  public long accepted() {
    return added + replaced + unchanged + deleted;
  }
}
