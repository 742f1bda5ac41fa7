package io.fedsearch.web.ui;

/** A page that cannot be shown: the HTTP status and a message for the visitor (rendered as an HTML error page). */
public final class UiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public UiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
