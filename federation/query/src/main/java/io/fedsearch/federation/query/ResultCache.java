package io.fedsearch.federation.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Recent answers, briefly: the same query from many users within seconds is answered once. Entries expire after
 * the TTL; beyond the capacity Caffeine drops the least useful. Attribution tokens are not cached — each user gets
 * fresh ones. A TTL of zero (or less) keeps nothing.
 */
final class ResultCache<K, V> {
  private final Cache<K, V> cache;
  private final boolean off;

  ResultCache(Duration ttl, int capacity) {
    this.off = ttl.isNegative() || ttl.isZero();
    this.cache = Caffeine.newBuilder()
        .expireAfterWrite(off ? Duration.ZERO : ttl)
        .maximumSize(off ? 0 : capacity)
        .executor(Runnable::run) // housekeeping on the caller: no pool thread woken per query (see QueryServer)
        .build();
  }

  V get(K key) {
    return cache.getIfPresent(key);
  }

  void put(K key, V value) {
    if (!off) {
      cache.put(key, value);
    }
  }
}
