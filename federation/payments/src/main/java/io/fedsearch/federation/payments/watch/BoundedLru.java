package io.fedsearch.federation.payments.watch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A map of at most {@code max} entries that forgets the least recently used one beyond that (callers lock it).
 * The anomaly detector keeps per-payer and per-node statistics in these, so a flood of new payer accounts or node
 * keys costs a bounded amount of memory; what is forgotten is the oldest evidence.
 */
class BoundedLru<K, V> extends LinkedHashMap<K, V> {
  private static final long serialVersionUID = 1L;
  private final int max;

  BoundedLru(int max) {
    super(16, 0.75f, true);
    this.max = max;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    if (size() <= max) {
      return false;
    }
    evicted(eldest);
    return true;
  }

  /** Told about each entry dropped for space (before it goes). */
  void evicted(Map.Entry<K, V> eldest) {}

  synchronized V getOrCreate(K key, Function<K, V> create) {
    return computeIfAbsent(key, create);
  }
}
