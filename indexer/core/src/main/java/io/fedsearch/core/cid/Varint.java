package io.fedsearch.core.cid;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** The multiformats unsigned varint (LEB128, at most 9 bytes, minimal encoding). */
public final class Varint {
  public static final int MAX_BYTES = 9;

  private Varint() {}

  public static void write(long value, ByteArrayOutputStream out) {
    if (value < 0) {
      throw new IllegalArgumentException("uvarint cannot encode a negative value: " + value);
    }
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  public static byte[] encode(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
    write(value, out);
    return out.toByteArray();
  }

  public static int size(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  /**
   * Reads a uvarint from {@code buf}, advancing its position.
   *
   * @throws IllegalArgumentException when truncated, longer than 9 bytes, over 63 bits or not minimally encoded
   */
  public static long read(ByteBuffer buf) {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (!buf.hasRemaining()) {
        throw new IllegalArgumentException("truncated varint");
      }
      int b = buf.get() & 0xFF;
      if (i == 8 && (b & 0x80) != 0) {
        throw new IllegalArgumentException("varint longer than 9 bytes");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("varint not minimally encoded");
        }
        if (value < 0) {
          throw new IllegalArgumentException("varint exceeds 63 bits");
        }
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than 9 bytes");
  }
}
