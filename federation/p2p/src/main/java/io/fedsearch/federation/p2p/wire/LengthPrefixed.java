package io.fedsearch.federation.p2p.wire;

import io.fedsearch.core.cid.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code uvarint(len) || bytes} messages, the framing of identify, kad and our request/response protocols. */
public final class LengthPrefixed {
  private LengthPrefixed() {}

  /** Frames {@code message} in one array, so a stream sends it as one write (one yamux frame when it fits). */
  public static byte[] frame(byte[] message) {
    byte[] prefix = Varint.encode(message.length);
    byte[] out = new byte[prefix.length + message.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(message, 0, out, prefix.length, message.length);
    return out;
  }

  public static void write(OutputStream out, byte[] message) throws IOException {
    out.write(frame(message));
    out.flush();
  }

  /**
   * Reads one message of at most {@code max} bytes; null on a clean end of stream before the prefix.
   *
   * @throws WireException when the announced length exceeds {@code max}
   */
  public static byte[] read(InputStream in, int max) throws IOException {
    long len = Uvarint.read(in, max);
    if (len < 0) {
      return null;
    }
    byte[] buf = in.readNBytes((int) len);
    if (buf.length != len) {
      throw new EOFException("stream ended inside a " + len + "-byte message");
    }
    return buf;
  }
}
