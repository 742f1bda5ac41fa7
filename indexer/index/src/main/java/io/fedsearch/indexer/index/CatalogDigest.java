package io.fedsearch.indexer.index;

import java.math.BigInteger;
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
  private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);
  private BigInteger sum = BigInteger.ZERO; // guarded by this

  synchronized void add(String cid) {
    sum = sum.add(hash(cid)).mod(MODULUS);
  }

  synchronized void remove(String cid) {
    sum = sum.subtract(hash(cid)).mod(MODULUS);
  }

  /** The digest now: 32 bytes, big-endian. */
  synchronized byte[] bytes() {
    byte[] raw = sum.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(32, raw.length);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  private static BigInteger hash(String cid) {
    try {
      return new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(cid.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
