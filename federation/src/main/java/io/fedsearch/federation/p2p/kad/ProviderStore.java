package io.fedsearch.federation.p2p.kad;

import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Provider records (key multihash → providers with addresses and expiry), bounded in keys and providers per key. */
final class ProviderStore {
  static final int MAX_KEYS = 100_000;
  static final int MAX_PROVIDERS_PER_KEY = 64;

  record Provider(PeerId peer, List<Multiaddr> addrs, long expiresAtMillis) {}

  private final Map<ByteBuffer, LinkedHashMap<PeerId, Provider>> byKey = new ConcurrentHashMap<>();

  void add(byte[] key, PeerId peer, List<Multiaddr> addrs, long ttlMillis) {
    ByteBuffer k = ByteBuffer.wrap(key.clone());
    if (byKey.size() >= MAX_KEYS && !byKey.containsKey(k)) {
      expire();
      if (byKey.size() >= MAX_KEYS) {
        return;
      }
    }
    LinkedHashMap<PeerId, Provider> m = byKey.computeIfAbsent(k, x -> new LinkedHashMap<>());
    synchronized (m) {
      m.remove(peer);
      if (m.size() >= MAX_PROVIDERS_PER_KEY) {
        m.remove(m.keySet().iterator().next());
      }
      m.put(peer, new Provider(peer, List.copyOf(addrs), System.currentTimeMillis() + ttlMillis));
    }
  }

  List<Provider> get(byte[] key) {
    LinkedHashMap<PeerId, Provider> m = byKey.get(ByteBuffer.wrap(key));
    if (m == null) {
      return List.of();
    }
    long now = System.currentTimeMillis();
    synchronized (m) {
      m.values().removeIf(p -> p.expiresAtMillis() < now);
      List<Provider> out = new ArrayList<>(m.values());
      java.util.Collections.reverse(out); // freshest first
      return out;
    }
  }

  void expire() {
    long now = System.currentTimeMillis();
    byKey.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        e.getValue().values().removeIf(p -> p.expiresAtMillis() < now);
        return e.getValue().isEmpty();
      }
    });
  }
}
