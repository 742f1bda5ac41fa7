package io.fedsearch.federation.p2p.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Small helpers over protobuf-java's {@link CodedInputStream}/{@link CodedOutputStream}: the libp2p messages are
 * few and tiny, so each message class reads and writes its fields by number instead of generated code.
 */
public final class Protobuf {
  private Protobuf() {}

  /** Builds a message with a {@link CodedOutputStream}. */
  public interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  public static byte[] encode(Writer writer) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      writer.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A reader over {@code data} that refuses nesting deeper than 8 and any single field above {@code data.length}. */
  public static CodedInputStream reader(byte[] data) {
    CodedInputStream in = CodedInputStream.newInstance(data);
    in.setRecursionLimit(8);
    in.setSizeLimit(data.length);
    return in;
  }

  /** Reads a length-delimited field, mapping protobuf's parse errors to {@link WireException}. */
  public static byte[] bytes(CodedInputStream in, int max) throws WireException {
    try {
      int len = in.readRawVarint32();
      if (len < 0 || len > max) {
        throw new WireException("protobuf field of " + len + " bytes exceeds " + max);
      }
      return in.readRawBytes(len);
    } catch (IOException e) {
      throw new WireException("malformed protobuf: " + e.getMessage(), e);
    }
  }
}
