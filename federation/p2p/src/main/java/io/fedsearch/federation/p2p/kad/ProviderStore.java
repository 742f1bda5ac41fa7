package io.fedsearch.federation.p2p.kad;

import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Provider records (key multihash → providers with addresses and expiry), bounded in keys, in providers per key and
 * in keys per provider. Every record was announced by the provider itself over a connection it proved its key on
 * (the DHT server checks that), so what a Sybil attacker has is fresh identities, not old ones: a full key keeps
 * the providers that have stood longest (first announced earliest, renewed since), and a newcomer takes the place of
 * the most recent arrival. Identities made for the attack thus churn among themselves in the slots they found free,
 * and cannot flush the nodes that were providing before.
 */
final class ProviderStore {
  static final int MAX_KEYS = 100_000;
  static final int MAX_PROVIDERS_PER_KEY = 64;
  /** Keys one peer may be a provider for: bounds what one identity can make us hold. */
  static final int MAX_KEYS_PER_PROVIDER = 1024;

  /** A provider record; {@code since} is when the provider first announced itself for the key (kept on renewal). */
  record Provider(PeerId peer, List<Multiaddr> addrs, long expiresAtMillis, long since) {}

  private final Map<ByteBuffer, LinkedHashMap<PeerId, Provider>> byKey = new ConcurrentHashMap<>();
  private final Map<PeerId, Integer> keysByPeer = new ConcurrentHashMap<>();

  /** Adds or renews a record; false when refused (the peer provides too many keys, or the store is full). */
  boolean add(byte[] key, PeerId peer, List<Multiaddr> addrs, long ttlMillis) {
    ByteBuffer k = ByteBuffer.wrap(key.clone());
    if (byKey.size() >= MAX_KEYS && !byKey.containsKey(k)) {
      expire();
      if (byKey.size() >= MAX_KEYS) {
        return false;
      }
    }
    LinkedHashMap<PeerId, Provider> m = byKey.computeIfAbsent(k, x -> new LinkedHashMap<>());
    long now = System.currentTimeMillis();
    synchronized (m) {
      Provider old = m.get(peer);
      if (old == null) {
        if (keysByPeer.getOrDefault(peer, 0) >= MAX_KEYS_PER_PROVIDER) {
          return false;
        }
        if (m.size() >= MAX_PROVIDERS_PER_KEY) {
          m.values().removeIf(p -> p.expiresAtMillis() < now && uncount(p));
        }
        if (m.size() >= MAX_PROVIDERS_PER_KEY) {
          Provider newest = m.values().stream().max(Comparator.comparingLong(Provider::since)).orElseThrow();
          m.remove(newest.peer());
          uncount(newest);
        }
        keysByPeer.merge(peer, 1, Integer::sum);
      }
      m.put(peer, new Provider(peer, List.copyOf(addrs), now + ttlMillis, old == null ? now : old.since()));
    }
    return true;
  }

  private boolean uncount(Provider p) {
    keysByPeer.computeIfPresent(p.peer(), (x, n) -> n <= 1 ? null : n - 1);
    return true;
  }

  /** Live providers of {@code key}, longest-standing first. */
  List<Provider> get(byte[] key) {
    LinkedHashMap<PeerId, Provider> m = byKey.get(ByteBuffer.wrap(key));
    if (m == null) {
      return List.of();
    }
    long now = System.currentTimeMillis();
    synchronized (m) {
      m.values().removeIf(p -> p.expiresAtMillis() < now && uncount(p));
      List<Provider> out = new ArrayList<>(m.values());
      out.sort(Comparator.comparingLong(Provider::since));
      return out;
    }
  }

  void expire() {
    long now = System.currentTimeMillis();
    byKey.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        e.getValue().values().removeIf(p -> p.expiresAtMillis() < now && uncount(p));
        return e.getValue().isEmpty();
      }
    });
  }
}
