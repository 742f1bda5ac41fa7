package io.fedsearch.federation.query;

/** A query-protocol message that breaks the protocol; the message names the field. */
public final class QueryProtocolException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public QueryProtocolException(String message) {
    super(message);
  }
}
