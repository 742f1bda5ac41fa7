package io.fedsearch.federation.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fedsearch.core.cbor.CborMap;
import io.fedsearch.core.sign.SigningDomain;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a platform says about itself, signed by the platform's key: its name, the nodes that serve it (their
 * public keys) and the replica set they form, if any. A node sends its platform's record with every answer; the
 * asker believes a name or a replica set only from a record that verifies and lists the answering node. A stranger
 * can therefore claim a name under its own key, but cannot speak for another platform's key: it cannot join that
 * platform's replica set, and entries it signs are bound to its own record.
 *
 * <p>A single-node platform's key is its node key; nodes of one platform that share a replica set share the
 * platform key that signed their record.
 */
public record PlatformRecord(String platform, String replicaSet, List<NodePublicKey> nodes, long issuedMillis) {
  static final int VERSION = 1;
  static final int MAX_NODES = 64;
  static final int MAX_NAME_CHARS = 128;

  public PlatformRecord {
    if (platform == null || platform.isEmpty() || platform.length() > MAX_NAME_CHARS) {
      throw new IllegalArgumentException("platform: 1 to " + MAX_NAME_CHARS + " characters");
    }
    if (replicaSet != null && (replicaSet.isEmpty() || replicaSet.length() > MAX_NAME_CHARS)) {
      throw new IllegalArgumentException("replica set: 1 to " + MAX_NAME_CHARS + " characters, or none");
    }
    if (nodes.isEmpty() || nodes.size() > MAX_NODES) {
      throw new IllegalArgumentException("nodes: 1 to " + MAX_NODES);
    }
    nodes = List.copyOf(nodes);
  }

  /** The record of a one-node platform: signed by the node's own key, naming only it. */
  public static Signed selfSigned(NodeKey node, String platform, String replicaSet) {
    return new PlatformRecord(platform, replicaSet, List.of(node.publicKey()), System.currentTimeMillis())
        .sign(node);
  }

  public Signed sign(NodeKey platformKey) {
    byte[] body = encodeBody();
    return new Signed(this, platformKey.publicKey(), platformKey.sign(SigningDomain.PLATFORM_RECORD, body));
  }

  /** Whether this record names {@code peer}'s key among the platform's nodes. */
  public boolean names(PeerId peer) {
    Optional<NodePublicKey> k = peer.publicKey();
    return k.isPresent() && nodes.contains(k.get());
  }

  private byte[] encodeBody() {
    return DagCbor.encode(bodyMap());
  }

  /** The record's fields as a DAG-CBOR map (what is signed, and the {@code r} of the wire form). */
  private Map<String, Object> bodyMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", (long) VERSION);
    m.put("pl", platform);
    m.put("rs", replicaSet);
    List<Object> keys = new ArrayList<>(nodes.size());
    nodes.forEach(k -> keys.add(k.bytes()));
    m.put("nd", keys);
    m.put("t", issuedMillis);
    return m;
  }

  /**
   * A record with the platform key that signed it and the signature; {@link #verify()} before believing it.
   * Immutable; its wire form is built once, since a node sends the same record with every answer.
   */
  public static final class Signed {
    /** Records decoded recently, by signature: a peer sends the same record with every answer (bounded). */
    /** Records decoded before, by signature: peers repeat theirs in every answer (bounded, least recently used out). */
    private static final Cache<ByteBuffer, Signed> DECODED = Caffeine.newBuilder().maximumSize(4096)
        .executor(Runnable::run).build();

    private final PlatformRecord record;
    private final NodePublicKey platformKey;
    private final byte[] signature;
    private final Map<String, Object> wire;

    public Signed(PlatformRecord record, NodePublicKey platformKey, byte[] signature) {
      this.record = record;
      this.platformKey = platformKey;
      this.signature = signature.clone();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("r", record.bodyMap());
      m.put("k", platformKey.bytes());
      m.put("s", this.signature);
      this.wire = java.util.Collections.unmodifiableMap(m);
    }

    public PlatformRecord record() {
      return record;
    }

    public NodePublicKey platformKey() {
      return platformKey;
    }

    public byte[] signature() {
      return signature.clone();
    }

    public boolean verify() {
      return platformKey.verifies(SigningDomain.PLATFORM_RECORD, record.encodeBody(), signature);
    }

    /** Whether {@code o} is the same record with the same key and signature. */
    boolean sameAs(Signed o) {
      return o == this || (platformKey.equals(o.platformKey) && Arrays.equals(signature, o.signature)
          && record.equals(o.record));
    }

    /** The wire form: {@code {r: record, k: platform key, s: signature}} (a DAG-CBOR map value). */
    Map<String, Object> toWire() {
      return wire;
    }

    /**
     * Strict decoding of {@link #toWire()}'s form; the signature is not checked here. A record decoded before
     * (same signature, and every field equal to the bytes) is returned as it was, without checking its keys again.
     */
    static Signed fromWire(CborMap m) {
      CborMap r = m.map("r");
      byte[] k = m.bytesExactly("k", NodePublicKey.LENGTH);
      byte[] s = m.bytesExactly("s", NodePublicKey.SIGNATURE_LENGTH);
      QueryWire.version(r, VERSION);
      List<Object> raw = r.list("nd", MAX_NODES);
      String platform = QueryWire.str(r, "pl", false);
      String replicaSet = QueryWire.str(r, "rs", true);
      long issued = QueryWire.num(r, "t");
      ByteBuffer id = ByteBuffer.wrap(s); // a fresh array of the decoded message, never written to
      Signed known = DECODED.getIfPresent(id);
      if (known != null && known.matches(k, platform, replicaSet, issued, raw)) {
        return known;
      }
      List<NodePublicKey> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < raw.size(); i++) {
          if (!(raw.get(i) instanceof byte[] b)) {
            throw new QueryProtocolException(r.item("nd", i) + ": expected a key's bytes");
          }
          nodes.add(NodePublicKey.of(b));
        }
        Signed decoded = new Signed(new PlatformRecord(platform, replicaSet, nodes, issued), NodePublicKey.of(k), s);
        DECODED.put(id, decoded);
        return decoded;
      } catch (IllegalArgumentException e) {
        throw new QueryProtocolException(m.path() + ": " + e.getMessage());
      }
    }

    private boolean matches(byte[] key, String platform, String replicaSet, long issued, List<?> nodes) {
      if (!Arrays.equals(platformKey.bytes(), key) || !record.platform().equals(platform)
          || !java.util.Objects.equals(record.replicaSet(), replicaSet) || record.issuedMillis() != issued
          || record.nodes().size() != nodes.size()) {
        return false;
      }
      for (int i = 0; i < nodes.size(); i++) {
        if (!(nodes.get(i) instanceof byte[] b) || !Arrays.equals(record.nodes().get(i).bytes(), b)) {
          return false;
        }
      }
      return true;
    }
  }
}
