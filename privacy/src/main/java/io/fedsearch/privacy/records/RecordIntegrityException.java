package io.fedsearch.privacy.records;

/** A stored payment event does not decrypt: tampered, moved to another row, or encrypted under a lost key. */
public final class RecordIntegrityException extends RuntimeException {
  public RecordIntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
