package io.fedsearch.federation.query;

import io.fedsearch.indexer.entry.SignedEntry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks served entries' signatures, remembering the ones that verified: a popular entry is checked once, not on
 * every query that shows it. The memory holds, per CID and signer, the exact signature bytes that verified, so any
 * other signature for a known CID (or another signer) is verified afresh.
 */
final class EntryVerifier {
  private static final int CAPACITY = 100_000;
  private final Map<String, byte[]> verified = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
      return size() > CAPACITY;
    }
  };

  boolean verify(SignedEntry s) {
    String k = s.cid() + "|" + s.signer().hex();
    synchronized (verified) {
      byte[] known = verified.get(k);
      if (known != null && Arrays.equals(known, s.signature())) {
        return true;
      }
    }
    boolean ok = s.verify();
    if (ok) {
      synchronized (verified) {
        verified.put(k, s.signature().clone());
      }
    }
    return ok;
  }
}
