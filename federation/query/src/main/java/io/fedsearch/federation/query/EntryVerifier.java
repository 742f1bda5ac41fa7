package io.fedsearch.federation.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fedsearch.indexer.entry.SignedEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks served entries' signatures, remembering the ones that verified: a popular entry is checked once, not on
 * every query that shows it. The memory holds, per CID and signer, the exact signature bytes that verified, so any
 * other signature for a known CID (or another signer) is verified afresh.
 */
final class EntryVerifier {
  private static final int CAPACITY = 100_000;
  private final Cache<String, byte[]> verified =
      Caffeine.newBuilder().initialCapacity(1024).maximumSize(CAPACITY).executor(Runnable::run).build();

  /**
   * Checks the entries not yet known to verify on every core at once, remembering those that do, and returns when
   * all are checked: a page of results never seen before costs one signature's time per core, not ten in a row.
   */
  void verifyAhead(List<SignedEntry> entries) {
    List<SignedEntry> unknown = new ArrayList<>(entries.size());
    for (SignedEntry s : entries) {
      if (!known(s)) {
        unknown.add(s);
      }
    }
    if (unknown.size() > 1) {
      unknown.parallelStream().forEach(this::verify);
    }
  }

  private static String key(SignedEntry s) {
    return s.cid() + "|" + s.signer().hex();
  }

  /** Whether exactly this signature verified before. */
  private boolean known(SignedEntry s) {
    return Arrays.equals(verified.getIfPresent(key(s)), s.signature());
  }

  boolean verify(SignedEntry s) {
    if (known(s)) {
      return true;
    }
    boolean ok = s.verify();
    if (ok) {
      verified.put(key(s), s.signature().clone());
    }
    return ok;
  }
}
