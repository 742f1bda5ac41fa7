package io.fedsearch.core.cbor;

import io.fedsearch.core.cid.Cid;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canonical DAG-CBOR for the data model fedsearch signs: maps with string keys, lists, text, bytes, integers
 * ({@link Long} or {@link BigInteger} within 64 bits), booleans, null and CID links (tag 42). Floats are
 * deliberately unsupported: nothing signed needs them and they are where encoders disagree.
 *
 * <p>Encoding follows the IPLD DAG-CBOR spec: minimal-length heads, definite lengths, map keys sorted by encoded
 * length then bytewise, links as tag 42 over a byte string with a 0x00 prefix. Decoding is strict: anything that
 * would not re-encode to the same bytes is rejected, so a block has exactly one meaning.
 */
public final class DagCbor {
  /** Map key order: shorter first, then bytewise unsigned (every key of every map written or read is compared). */
  private static final Comparator<byte[]> KEY_ORDER = DagCbor::compareKeys;
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  private static final int MAX_DEPTH = 16;
  /** UTF-8 of map keys seen (schemas use a few short keys over and over); never written to. */
  private static final Map<String, byte[]> KEY_BYTES = new java.util.concurrent.ConcurrentHashMap<>();

  private DagCbor() {}

  public static byte[] encode(Object value) {
    Output out = new Output();
    write(value, out, 0);
    return out.toByteArray();
  }

  /**
   * A growable byte buffer without {@link java.io.ByteArrayOutputStream}'s per-call locking: encoding writes heads
   * a byte at a time, and every entry of an import is encoded, so the uncontended locks were most of the cost.
   */
  private static final class Output {
    private byte[] buf = new byte[256];
    private int size;

    void write(int b) {
      if (size == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[size++] = (byte) b;
    }

    void writeBytes(byte[] bytes) {
      if (bytes.length > buf.length - size) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + bytes.length));
      }
      System.arraycopy(bytes, 0, buf, size, bytes.length);
      size += bytes.length;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }
  }

  private static void write(Object value, Output out, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH);
    }
    switch (value) {
      case null -> out.write(0xF6);
      case Boolean b -> out.write(b ? 0xF5 : 0xF4);
      case Integer i -> writeLong(i, out);
      case Long l -> writeLong(l, out);
      case BigInteger bi -> writeInteger(bi, out);
      case String s -> {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        head(3, utf8.length, out);
        out.writeBytes(utf8);
      }
      case byte[] bytes -> {
        head(2, bytes.length, out);
        out.writeBytes(bytes);
      }
      case Cid cid -> {
        head(6, 42, out);
        byte[] raw = cid.bytes();
        head(2, raw.length + 1L, out);
        out.write(0);
        out.writeBytes(raw);
      }
      case List<?> list -> {
        head(4, list.size(), out);
        for (Object item : list) {
          write(item, out, depth + 1);
        }
      }
      case Map<?, ?> map -> {
        List<Map.Entry<byte[], Object>> entries = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!(e.getKey() instanceof String key)) {
            throw new IllegalArgumentException("DAG-CBOR map keys must be strings, got " + e.getKey());
          }
          entries.add(new java.util.AbstractMap.SimpleImmutableEntry<>(keyBytes(key), e.getValue()));
        }
        if (!inKeyOrder(entries)) { // a map built in canonical order (the hot messages are) needs no sort
          entries.sort(Map.Entry.comparingByKey(KEY_ORDER));
        }
        head(5, entries.size(), out);
        for (Map.Entry<byte[], Object> e : entries) {
          head(3, e.getKey().length, out);
          out.writeBytes(e.getKey());
          write(e.getValue(), out, depth + 1);
        }
      }
      default -> throw new IllegalArgumentException("unsupported DAG-CBOR value type " + value.getClass());
    }
  }

  private static int compareKeys(byte[] a, byte[] b) {
    return a.length != b.length ? Integer.compare(a.length, b.length) : Arrays.compareUnsigned(a, b);
  }

  private static boolean inKeyOrder(List<Map.Entry<byte[], Object>> entries) {
    for (int i = 1; i < entries.size(); i++) {
      if (compareKeys(entries.get(i - 1).getKey(), entries.get(i).getKey()) > 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] keyBytes(String key) {
    byte[] b = KEY_BYTES.get(key);
    if (b == null) {
      b = key.getBytes(StandardCharsets.UTF_8);
      if (key.length() <= 32 && KEY_BYTES.size() < 1024) {
        KEY_BYTES.put(key, b);
      }
    }
    return b;
  }

  private static void writeLong(long v, Output out) {
    if (v >= 0) {
      head(0, v, out);
    } else {
      head(1, -1 - v, out); // -1 - v cannot overflow for any negative long
    }
  }

  private static void writeInteger(BigInteger v, Output out) {
    if (v.signum() >= 0) {
      if (v.compareTo(TWO_64) >= 0) {
        throw new IllegalArgumentException("integer " + v + " exceeds 64 bits");
      }
      headUnsigned(0, v, out);
    } else {
      BigInteger n = v.negate().subtract(BigInteger.ONE);
      if (n.compareTo(TWO_64) >= 0) {
        throw new IllegalArgumentException("integer " + v + " exceeds 64 bits");
      }
      headUnsigned(1, n, out);
    }
  }

  private static void headUnsigned(int major, BigInteger n, Output out) {
    head(major, n.longValue(), out); // two's complement bits are the unsigned value for n < 2^64
  }

  /** A head whose argument {@code v} is read as unsigned 64-bit. */
  private static void head(int major, long v, Output out) {
    int mt = major << 5;
    if (Long.compareUnsigned(v, 24) < 0) {
      out.write(mt | (int) v);
    } else if (Long.compareUnsigned(v, 0x100) < 0) {
      out.write(mt | 24);
      out.write((int) v);
    } else if (Long.compareUnsigned(v, 0x10000) < 0) {
      out.write(mt | 25);
      writeBigEndian(v, 2, out);
    } else if (Long.compareUnsigned(v, 0x100000000L) < 0) {
      out.write(mt | 26);
      writeBigEndian(v, 4, out);
    } else {
      out.write(mt | 27);
      writeBigEndian(v, 8, out);
    }
  }

  private static void writeBigEndian(long v, int bytes, Output out) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)) & 0xFF);
    }
  }

  /**
   * Decodes a canonical DAG-CBOR block into maps ({@link LinkedHashMap}, in canonical key order), lists, strings,
   * byte arrays, {@link Long} (or {@link BigInteger} beyond the long range), booleans, null and {@link Cid}s.
   *
   * @throws IllegalArgumentException naming what is non-canonical or malformed
   */
  public static Object decode(byte[] block) {
    ByteBuffer buf = ByteBuffer.wrap(block);
    Object value = read(buf, 0);
    if (buf.hasRemaining()) {
      throw new IllegalArgumentException(buf.remaining() + " trailing bytes after DAG-CBOR value");
    }
    return value;
  }

  private static Object read(ByteBuffer buf, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("DAG-CBOR nested deeper than " + MAX_DEPTH);
    }
    int initial = u8(buf);
    int major = initial >>> 5;
    int info = initial & 31;
    if (major == 7) {
      return switch (info) {
        case 20 -> Boolean.FALSE;
        case 21 -> Boolean.TRUE;
        case 22 -> null;
        case 25, 26, 27 -> throw new IllegalArgumentException("floats are not accepted");
        default -> throw new IllegalArgumentException("unsupported simple value " + info);
      };
    }
    long n = readArgument(buf, info); // unsigned: negative means ≥ 2^63
    return switch (major) {
      case 0 -> n >= 0 ? (Object) n : unsigned(n);
      case 1 -> n >= 0 ? (Object) (-1 - n) : unsigned(n).negate().subtract(BigInteger.ONE);
      case 2 -> readBytes(buf, n);
      case 3 -> utf8(readBytes(buf, n));
      case 4 -> {
        int size = boundedLength(buf, n);
        List<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          list.add(read(buf, depth + 1));
        }
        yield Collections.unmodifiableList(list);
      }
      case 5 -> {
        int size = boundedLength(buf, n);
        Map<String, Object> map = new LinkedHashMap<>();
        byte[] previous = null;
        for (int i = 0; i < size; i++) {
          int keyHead = u8(buf);
          if (keyHead >>> 5 != 3) {
            throw new IllegalArgumentException("map key is not a text string");
          }
          byte[] key = readBytes(buf, readArgument(buf, keyHead & 31));
          if (previous != null && KEY_ORDER.compare(previous, key) >= 0) {
            throw new IllegalArgumentException("map keys not in canonical order or duplicated");
          }
          previous = key;
          map.put(utf8(key), read(buf, depth + 1));
        }
        yield Collections.unmodifiableMap(map);
      }
      case 6 -> {
        if (n != 42) {
          throw new IllegalArgumentException("unsupported tag " + n);
        }
        int head = u8(buf);
        if (head >>> 5 != 2) {
          throw new IllegalArgumentException("tag 42 must wrap a byte string");
        }
        byte[] raw = readBytes(buf, readArgument(buf, head & 31));
        if (raw.length < 2 || raw[0] != 0) {
          throw new IllegalArgumentException("CID link must start with the 0x00 multibase prefix");
        }
        yield Cid.fromBytes(Arrays.copyOfRange(raw, 1, raw.length));
      }
      default -> throw new IllegalArgumentException("unsupported major type " + major);
    };
  }

  private static BigInteger unsigned(long n) {
    return new BigInteger(Long.toUnsignedString(n));
  }

  /** A head's argument as an unsigned 64-bit value (in a long: negative when ≥ 2^63), minimally encoded. */
  private static long readArgument(ByteBuffer buf, int info) {
    if (info < 24) {
      return info;
    }
    int bytes =
        switch (info) {
          case 24 -> 1;
          case 25 -> 2;
          case 26 -> 4;
          case 27 -> 8;
          default -> throw new IllegalArgumentException("indefinite or reserved length (info " + info + ")");
        };
    if (buf.remaining() < bytes) {
      throw new IllegalArgumentException("truncated DAG-CBOR head");
    }
    long v = 0;
    for (int i = 0; i < bytes; i++) {
      v = (v << 8) | (buf.get() & 0xFF);
    }
    long min = switch (bytes) {
      case 1 -> 24;
      case 2 -> 0x100;
      case 4 -> 0x10000;
      default -> 0x100000000L;
    };
    if (Long.compareUnsigned(v, min) < 0) {
      throw new IllegalArgumentException("integer or length not minimally encoded");
    }
    return v;
  }

  private static int boundedLength(ByteBuffer buf, long n) {
    // Every item takes at least one byte, so a length beyond what remains is malformed: no huge allocation.
    if (Long.compareUnsigned(n, buf.remaining()) > 0) {
      throw new IllegalArgumentException("length " + Long.toUnsignedString(n) + " exceeds the remaining "
          + buf.remaining() + " bytes");
    }
    return (int) n;
  }

  private static byte[] readBytes(ByteBuffer buf, long n) {
    byte[] out = new byte[boundedLength(buf, n)];
    buf.get(out);
    return out;
  }

  private static String utf8(byte[] bytes) {
    // Nearly every text string here (map keys, field names, CIDs, most titles) is ASCII: that is valid UTF-8 as it
    // is, and becomes a string without a strict decoder and its buffers, which per string cost more than the text.
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, StandardCharsets.US_ASCII);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("text string is not valid UTF-8");
    }
  }

  private static int u8(ByteBuffer buf) {
    if (!buf.hasRemaining()) {
      throw new IllegalArgumentException("truncated DAG-CBOR");
    }
    return buf.get() & 0xFF;
  }
}
