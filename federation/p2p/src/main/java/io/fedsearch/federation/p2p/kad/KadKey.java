package io.fedsearch.federation.p2p.kad;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;

/** A point in the Kademlia keyspace: SHA-256 of the key bytes (for peers: the peer-id multihash). */
public record KadKey(byte[] hash) {
  public static KadKey of(byte[] keyBytes) {
    try {
      return new KadKey(MessageDigest.getInstance("SHA-256").digest(keyBytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Number of leading bits this key shares with {@code other} (256 when equal). */
  public int commonPrefixLength(KadKey other) {
    for (int i = 0; i < 32; i++) {
      int x = (hash[i] ^ other.hash[i]) & 0xFF;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return 256;
  }

  /** Orders keys by XOR distance to {@code target}. */
  public static Comparator<KadKey> byDistanceTo(KadKey target) {
    return (a, b) -> {
      for (int i = 0; i < 32; i++) {
        int da = (a.hash[i] ^ target.hash[i]) & 0xFF;
        int db = (b.hash[i] ^ target.hash[i]) & 0xFF;
        if (da != db) {
          return Integer.compare(da, db);
        }
      }
      return 0;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadKey k && Arrays.equals(hash, k.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }
}
