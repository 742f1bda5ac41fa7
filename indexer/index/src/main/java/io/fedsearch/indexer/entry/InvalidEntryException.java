package io.fedsearch.indexer.entry;

/** An entry that breaks a rule; names the offending field so the platform can fix its feed. */
public final class InvalidEntryException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidEntryException(String field, String message) {
    super(field == null ? message : field + ": " + message);
    this.field = field;
  }

  /** The field at fault, or null when the input as a whole is malformed. */
  public String field() {
    return field;
  }
}
