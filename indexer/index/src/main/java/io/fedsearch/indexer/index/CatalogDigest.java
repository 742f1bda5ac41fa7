package io.fedsearch.indexer.index;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A digest of the set of live entries in an index, the same on every node that holds the same entries whatever
 * the order they were written in, their signatures or the index's segments: the sum, modulo 2^256, of the SHA-256
 * of each live entry's CID. A write updates it in constant time (add the new CID, subtract the one it replaced), so
 * a node can state it with every answer, and askers can tell whether two replicas serve the same catalog.
 *
 * <p>It is a statement by the node, not a proof: a node can report any digest. It catches replicas that are
 * honestly behind or empty (a restarted node with a lost index); keeping strangers out of a replica set is the
 * job of the platform's signed record.
 */
final class CatalogDigest {
  /** The sum's four 64-bit limbs, least significant first (guarded by this): 2^256 wraps as a long does. */
  private final long[] sum = new long[4];
  private final MessageDigest sha256 = sha256(); // guarded by this

  synchronized void add(String cid) {
    byte[] h = hash(cid);
    long carry = 0;
    for (int i = 0; i < 4; i++) {
      long limb = limb(h, i);
      long s = sum[i] + limb + carry;
      // unsigned overflow: the sum wrapped below an addend (or equals it with a carry in)
      carry = Long.compareUnsigned(s, sum[i]) < 0 || (carry == 1 && s == sum[i]) ? 1 : 0;
      sum[i] = s;
    }
  }

  synchronized void remove(String cid) {
    byte[] h = hash(cid);
    long borrow = 0;
    for (int i = 0; i < 4; i++) {
      long limb = limb(h, i);
      long d = sum[i] - limb - borrow;
      borrow = Long.compareUnsigned(sum[i], limb) < 0 || (borrow == 1 && sum[i] == limb) ? 1 : 0;
      sum[i] = d;
    }
  }

  /** The digest now: 32 bytes, big-endian. */
  synchronized byte[] bytes() {
    byte[] out = new byte[32];
    for (int i = 0; i < 4; i++) {
      long limb = sum[i];
      for (int b = 0; b < 8; b++) {
        out[31 - i * 8 - b] = (byte) (limb >>> (8 * b));
      }
    }
    return out;
  }

  /** Limb {@code i} (least significant first) of a big-endian 32-byte hash. */
  private static long limb(byte[] h, int i) {
    long v = 0;
    int at = 32 - (i + 1) * 8;
    for (int b = 0; b < 8; b++) {
      v = (v << 8) | (h[at + b] & 0xFF);
    }
    return v;
  }

  private byte[] hash(String cid) {
    return sha256.digest(cid.getBytes(StandardCharsets.US_ASCII));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
