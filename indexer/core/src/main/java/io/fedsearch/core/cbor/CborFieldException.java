package io.fedsearch.core.cbor;

/**
 * A received DAG-CBOR message that is not what its reader expects; the message names the field, e.g.
 * {@code "receipt.r.claim: expected an integer, got text"}, so the sender can act on it.
 */
public final class CborFieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CborFieldException(String message) {
    super(message);
  }
}
