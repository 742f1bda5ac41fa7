package io.fedsearch.federation.p2p.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads multiformats unsigned varints from a byte stream with a caller-given bound, so a length prefix can never make
 * a reader allocate more than it agreed to. Encoding reuses {@link io.fedsearch.core.cid.Varint}.
 */
public final class Uvarint {
  private Uvarint() {}

  /**
   * Reads one uvarint; returns -1 on a clean end of stream before its first byte.
   *
   * @throws WireException when longer than 9 bytes, not minimal, or above {@code max}
   * @throws EOFException when the stream ends inside the varint
   */
  public static long read(InputStream in, long max) throws IOException {
    long value = 0;
    for (int i = 0; i < 9; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          return -1;
        }
        throw new EOFException("stream ended inside a varint");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new WireException("varint not minimally encoded");
        }
        if (value < 0 || value > max) {
          throw new WireException("length " + value + " exceeds the limit of " + max);
        }
        return value;
      }
    }
    throw new WireException("varint longer than 9 bytes");
  }
}
