package io.fedsearch.federation.p2p.kad;

import io.fedsearch.federation.p2p.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Kademlia k-buckets indexed by common prefix length with our own key. A full bucket keeps its older members
 * (long-lived peers are the likeliest to stay); failed peers are removed by the DHT, making room.
 */
public final class RoutingTable {
  private final KadKey self;
  private final int k;
  private final List<LinkedHashMap<PeerId, KadKey>> buckets = new ArrayList<>();

  public RoutingTable(PeerId self, int k) {
    this.self = KadKey.of(self.bytes());
    this.k = k;
    for (int i = 0; i <= 256; i++) {
      buckets.add(new LinkedHashMap<>());
    }
  }

  /** Adds or refreshes {@code peer}; false when its bucket is full. */
  public synchronized boolean add(PeerId peer) {
    KadKey key = KadKey.of(peer.bytes());
    if (key.equals(self)) {
      return false;
    }
    LinkedHashMap<PeerId, KadKey> b = buckets.get(self.commonPrefixLength(key));
    if (b.remove(peer) != null || b.size() < k) {
      b.put(peer, key);
      return true;
    }
    return false;
  }

  public synchronized void remove(PeerId peer) {
    buckets.get(self.commonPrefixLength(KadKey.of(peer.bytes()))).remove(peer);
  }

  public synchronized boolean contains(PeerId peer) {
    return buckets.get(self.commonPrefixLength(KadKey.of(peer.bytes()))).containsKey(peer);
  }

  /** Up to {@code n} peers closest to {@code target}. */
  public synchronized List<PeerId> closest(KadKey target, int n) {
    List<java.util.Map.Entry<PeerId, KadKey>> all = new ArrayList<>();
    for (LinkedHashMap<PeerId, KadKey> b : buckets) {
      all.addAll(b.entrySet());
    }
    Comparator<KadKey> cmp = KadKey.byDistanceTo(target);
    all.sort((x, y) -> cmp.compare(x.getValue(), y.getValue()));
    return all.stream().limit(n).map(java.util.Map.Entry::getKey).toList();
  }

  public synchronized List<PeerId> peers() {
    List<PeerId> out = new ArrayList<>();
    for (LinkedHashMap<PeerId, KadKey> b : buckets) {
      out.addAll(b.keySet());
    }
    return out;
  }

  public synchronized int size() {
    int n = 0;
    for (LinkedHashMap<PeerId, KadKey> b : buckets) {
      n += b.size();
    }
    return n;
  }
}
