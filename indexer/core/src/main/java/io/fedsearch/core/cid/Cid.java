package io.fedsearch.core.cid;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A content identifier (CIDv0 or CIDv1). fedsearch mints CIDv1 / dag-cbor / sha2-256 for entries; it accepts any
 * well-formed CID (v0 or v1, any codec, any multihash) for an entry's {@code content} field.
 */
public final class Cid implements Comparable<Cid> {
  public static final int DAG_CBOR = 0x71;
  public static final int DAG_PB = 0x70;
  public static final int RAW = 0x55;
  public static final int SHA2_256 = 0x12;
  /** Longest binary CID accepted: generous for any real hash, small enough to bound every parser. */
  public static final int MAX_BYTES = 128;

  private final int version;
  private final long codec;
  private final byte[] multihash;
  private final byte[] bytes;
  private final long sortKey;
  private final int hash;
  private String text; // the text form, once asked for (a benign race: every thread computes the same string)

  private Cid(int version, long codec, byte[] multihash) {
    this.version = version;
    this.codec = codec;
    this.multihash = multihash;
    if (version == 0) {
      this.bytes = multihash;
    } else {
      ByteArrayOutputStream out = new ByteArrayOutputStream(multihash.length + 4);
      Varint.write(1, out);
      Varint.write(codec, out);
      out.writeBytes(multihash);
      this.bytes = out.toByteArray();
    }
    this.sortKey = digestPrefix(multihash);
    this.hash = Arrays.hashCode(bytes); // CIDs key the caches and merges of every query
  }

  /** The first eight bytes of the multihash's digest, big-endian (zero-padded if the digest is shorter). */
  private static long digestPrefix(byte[] mh) {
    int at = 0;
    for (int varints = 0; varints < 2 && at < mh.length; varints++) { // skip hash code and digest length
      while (at < mh.length && (mh[at] & 0x80) != 0) {
        at++;
      }
      at++;
    }
    long k = 0;
    for (int i = 0; i < 8; i++) {
      k = (k << 8) | (at + i < mh.length ? mh[at + i] & 0xFF : 0);
    }
    return k;
  }

  /** The CIDv1 (dag-cbor, sha2-256) of an encoded DAG-CBOR block. */
  public static Cid ofDagCbor(byte[] block) {
    return new Cid(1, DAG_CBOR, sha256Multihash(block));
  }

  public static Cid of(int version, long codec, byte[] multihash) {
    validateMultihash(multihash);
    if (version == 0 && (codec != DAG_PB || multihash[0] != SHA2_256 || multihash.length != 34)) {
      throw new IllegalArgumentException("CIDv0 must be dag-pb with a sha2-256 multihash");
    }
    if (version != 0 && version != 1) {
      throw new IllegalArgumentException("unsupported CID version " + version);
    }
    return new Cid(version, codec, multihash.clone());
  }

  public static byte[] sha256Multihash(byte[] data) {
    try {
      // A clone of one instance: getInstance looks the provider up and checks the algorithm's constraints on every
      // call, over half the cost of hashing an entry's block (every import line, every hit a peer sends).
      MessageDigest md = (MessageDigest) SHA256.clone();
      md.update(data);
      byte[] mh = new byte[34];
      mh[0] = SHA2_256;
      mh[1] = 32;
      md.digest(mh, 2, 32);
      return mh;
    } catch (CloneNotSupportedException | java.security.DigestException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final MessageDigest SHA256;

  static {
    try {
      SHA256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses the text form: CIDv0 ({@code Qm…}) or multibase CIDv1 ({@code b…} base32, {@code z…} base58btc). */
  public static Cid parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty CID");
    }
    if (text.length() > 256) {
      throw new IllegalArgumentException("CID text longer than 256 characters");
    }
    try {
      if (text.length() == 46 && text.startsWith("Qm")) {
        return fromBytes(Multibase.decodeBase58btc(text));
      }
      byte[] raw =
          switch (text.charAt(0)) {
            case 'b' -> Multibase.decodeBase32(text.substring(1));
            case 'z' -> Multibase.decodeBase58btc(text.substring(1));
            default -> throw new IllegalArgumentException(
                "unsupported multibase prefix '" + text.charAt(0) + "' (expected b or z)");
          };
      Cid cid = fromBytes(raw);
      if (cid.version == 0) {
        throw new IllegalArgumentException("CIDv0 must not carry a multibase prefix");
      }
      return cid;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid CID '" + abbreviate(text) + "': " + e.getMessage(), e);
    }
  }

  /** Parses the binary form. */
  public static Cid fromBytes(byte[] raw) {
    if (raw.length > MAX_BYTES) {
      throw new IllegalArgumentException("CID longer than " + MAX_BYTES + " bytes");
    }
    if (raw.length == 34 && raw[0] == SHA2_256 && raw[1] == 32) {
      return new Cid(0, DAG_PB, raw.clone());
    }
    ByteBuffer buf = ByteBuffer.wrap(raw);
    long version = Varint.read(buf);
    if (version != 1) {
      throw new IllegalArgumentException("unsupported CID version " + version);
    }
    long codec = Varint.read(buf);
    byte[] mh = new byte[buf.remaining()];
    buf.get(mh);
    validateMultihash(mh);
    return new Cid(1, codec, mh);
  }

  private static void validateMultihash(byte[] mh) {
    ByteBuffer buf = ByteBuffer.wrap(mh);
    Varint.read(buf);
    long len = Varint.read(buf);
    if (len != buf.remaining()) {
      throw new IllegalArgumentException(
          "multihash digest length " + len + " does not match the " + buf.remaining() + " bytes present");
    }
    if (len == 0) {
      throw new IllegalArgumentException("empty multihash digest");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }

  public int version() {
    return version;
  }

  public long codec() {
    return codec;
  }

  public byte[] multihash() {
    return multihash.clone();
  }

  /**
   * The order among CIDs that every node applies after score (as a signed long, ascending): the first eight bytes of
   * the hash digest. Lucene sorts on it as a number, far cheaper than on CID text; two tied entries sharing 64 bits
   * of SHA-256 are not a concern. {@link #TIE_ORDER} falls back to the whole CID for completeness.
   */
  public long sortKey() {
    return sortKey;
  }

  /** {@link #sortKey()} ascending, then the binary CID: the order of hits with equal scores, on every node. */
  public static final java.util.Comparator<Cid> TIE_ORDER =
      java.util.Comparator.comparingLong(Cid::sortKey).thenComparing(java.util.Comparator.naturalOrder());

  /** The binary CID (for v1: varint version ‖ varint codec ‖ multihash). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Whether {@code raw} is this CID's binary form (no copy, no parse). */
  public boolean hasBytes(byte[] raw) {
    return Arrays.equals(bytes, raw);
  }

  /** Text form: base58btc for v0, multibase base32 lower ({@code b…}) for v1. */
  @Override
  public String toString() {
    String t = text;
    if (t == null) { // computed once: merges sort and group by the text form
      t = version == 0 ? Multibase.base58btc(bytes) : "b" + Multibase.base32(bytes);
      text = t;
    }
    return t;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cid other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Cid o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }
}
