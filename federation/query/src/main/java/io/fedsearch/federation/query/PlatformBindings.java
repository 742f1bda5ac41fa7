package io.fedsearch.federation.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fedsearch.federation.p2p.PeerId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Which platforms each peer speaks for, as the platforms' signed records say — never as the peer merely claims.
 * Every answer from a peer passes {@link #bind}: each of its records must verify under the platform key it names
 * and list the answering node's key, or the answer is refused. What the first record states (the node's platform,
 * its replica set) replaces what the answer claimed; the entries the peer serves may name only the platforms of
 * its records; its catalog digest is kept for routing.
 *
 * <p>Replicas are routed as one only when the same platform keys signed their records for the same replica set
 * and they report the same catalog digest ({@link #group}): a stranger cannot join another platform's set, and a
 * member serving another catalog (empty after a lost index, or behind) is asked on its own instead of standing in
 * for the others.
 */
final class PlatformBindings {
  private static final HexFormat HEX = HexFormat.of();

  /** A peer's verified platform records (its own platform's first) and the catalog digest of its last answer. */
  private record Binding(List<PlatformRecord.Signed> records, byte[] catalogDigest) {}

  /** Bounded: a peer seen once long ago is dropped first, and its next answer binds it again. */
  private final Cache<PeerId, Binding> bindings = Caffeine.newBuilder().maximumSize(10_000)
      .executor(Runnable::run).build();

  /**
   * Checks {@code r}'s platform records against the peer that sent them and returns the answer with the first
   * record's platform and replica set.
   *
   * @throws QueryProtocolException when the answer has no record, or one that does not verify or name the peer
   */
  QueryWire.Response bind(PeerId peer, QueryWire.Response r) {
    List<PlatformRecord.Signed> records = r.records();
    if (records.isEmpty()) {
      throw new QueryProtocolException("answer carries no platform record: a node must send its platform's signed"
          + " record (nodes before session 19 do not)");
    }
    Binding known = bindings.getIfPresent(peer);
    boolean sameRecords = known != null && same(known.records(), records);
    if (!sameRecords) {
      for (PlatformRecord.Signed signed : records) {
        if (!signed.record().names(peer)) {
          throw new QueryProtocolException("the platform record of " + signed.record().platform() + " (key "
              + signed.platformKey().hex() + ") does not name this node");
        }
        if (!signed.verify()) {
          throw new QueryProtocolException("the platform record of " + signed.record().platform()
              + " does not verify under key " + signed.platformKey().hex());
        }
      }
    }
    if (!sameRecords || !java.util.Arrays.equals(known.catalogDigest(), r.catalogDigest())) {
      // an answer like the last one changes nothing: no cache write (and its housekeeping) on every answer
      bindings.put(peer, new Binding(records, r.catalogDigest()));
    }
    return r.bound();
  }

  /** Whether two lists hold the same signed records (then the new one needs no verification again). */
  private static boolean same(List<PlatformRecord.Signed> a, List<PlatformRecord.Signed> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).sameAs(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The routing group of {@code peer}: shared by the members of one replica set, signed by the same platform keys,
   * that serve one catalog; a peer of its own otherwise (or before its first verified answer).
   */
  String group(PeerId peer) {
    Binding b = bindings.getIfPresent(peer);
    if (b == null || b.catalogDigest() == null) {
      return "peer:" + PeerNames.of(peer);
    }
    List<String> sets = new ArrayList<>();
    for (PlatformRecord.Signed r : b.records()) {
      if (r.record().replicaSet() != null) {
        sets.add(r.record().replicaSet() + "@" + r.platformKey().hex().substring(0, 16));
      }
    }
    if (sets.isEmpty()) {
      return "peer:" + PeerNames.of(peer);
    }
    return "replicas:" + String.join(",", sets) + "/" + HEX.formatHex(b.catalogDigest(), 0, 8);
  }
}
