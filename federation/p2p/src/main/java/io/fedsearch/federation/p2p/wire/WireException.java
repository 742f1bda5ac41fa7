package io.fedsearch.federation.p2p.wire;

import java.io.IOException;

/** Malformed or hostile input from a remote peer: the stream or connection it arrived on is closed with this reason. */
public class WireException extends IOException {
  public WireException(String message) {
    super(message);
  }

  public WireException(String message, Throwable cause) {
    super(message, cause);
  }
}
