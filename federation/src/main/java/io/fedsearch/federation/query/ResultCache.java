package io.fedsearch.federation.query;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recent answers, briefly: the same query from many users within seconds is answered once. Entries expire after
 * the TTL; the least recently used go first beyond the capacity. Attribution tokens are not cached — each user gets
 * fresh ones.
 */
final class ResultCache<K, V> {
  private record Timed<V>(V value, long expiresNanos) {}

  private final long ttlNanos;
  private final int capacity;
  private final LinkedHashMap<K, Timed<V>> map;

  ResultCache(Duration ttl, int capacity) {
    this.ttlNanos = ttl.toNanos();
    this.capacity = capacity;
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Timed<V>> eldest) {
        return size() > ResultCache.this.capacity;
      }
    };
  }

  synchronized V get(K key) {
    Timed<V> t = map.get(key);
    if (t == null) {
      return null;
    }
    if (System.nanoTime() - t.expiresNanos() > 0) {
      map.remove(key);
      return null;
    }
    return t.value();
  }

  synchronized void put(K key, V value) {
    if (ttlNanos > 0) {
      map.put(key, new Timed<>(value, System.nanoTime() + ttlNanos));
    }
  }
}
