package io.fedsearch.privacy.release;

/** Bytes offered as a signal release are too large, malformed, not canonical, or not validly signed. */
public final class InvalidReleaseException extends Exception {
  public InvalidReleaseException(String message) {
    super(message);
  }

  public InvalidReleaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
