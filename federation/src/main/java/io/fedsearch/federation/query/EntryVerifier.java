package io.fedsearch.federation.query;

import io.fedsearch.indexer.entry.SignedEntry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks served entries' signatures, remembering the ones that verified: a popular entry is checked once, not on
 * every query that shows it. The memory is keyed by CID, signer and signature together, so a different signature
 * (or signer) for a known CID is verified afresh.
 */
final class EntryVerifier {
  private static final int CAPACITY = 100_000;
  private final Map<String, Boolean> verified = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > CAPACITY;
    }
  };

  boolean verify(SignedEntry s) {
    String k = s.cid() + "|" + s.signer().hex() + "|" + Arrays.hashCode(s.signature());
    synchronized (verified) {
      if (verified.containsKey(k)) {
        return true;
      }
    }
    boolean ok = s.verify();
    if (ok) {
      synchronized (verified) {
        verified.put(k, Boolean.TRUE);
      }
    }
    return ok;
  }
}
