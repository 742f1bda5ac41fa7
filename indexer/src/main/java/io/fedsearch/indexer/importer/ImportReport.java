package io.fedsearch.indexer.importer;

import java.util.List;
import java.util.Map;

/**
 * Outcome of one import: counts per outcome and the rejected lines (the first {@link #MAX_ERRORS} kept in full; the
 * count is always exact). Two things an operator should hear about even though the lines were accepted: entries that
 * name another platform than the node's ({@code foreignPlatforms}: platform → count, at most
 * {@link #MAX_FOREIGN_PLATFORMS} names), and entries without a price ({@code unpriced}), which every page shows as
 * free.
 */
public record ImportReport(
    String source, long lines, long added, long replaced, long unchanged, long deleted, long rejected,
    List<LineError> errors, long millis, Map<String, Long> foreignPlatforms, long unpriced) {
  public static final int MAX_FOREIGN_PLATFORMS = 16;

  public static final int MAX_ERRORS = 1000;

  /** A rejected line: its 1-based number, the field at fault (null for the whole line) and why. */
  public record LineError(long line, String field, String message) {}

  public long accepted() {
    return added + replaced + unchanged + deleted;
  }
}
