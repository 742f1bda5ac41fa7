package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.indexer.cid.DagCbor;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.indexer.identity.NodePublicKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
  /** Signatures are over this prefix and the record's bytes, so no other signed message can pass for a record. */
  private static final byte[] DOMAIN = "fedsearch/platform-record/v1\n".getBytes(StandardCharsets.US_ASCII);
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
    return new Signed(this, platformKey.publicKey(), platformKey.sign(signed(body)));
  }

  /** Whether this record names {@code peer}'s key among the platform's nodes. */
  public boolean names(PeerId peer) {
    Optional<NodePublicKey> k = peer.publicKey();
    return k.isPresent() && nodes.contains(k.get());
  }

  private byte[] encodeBody() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", (long) VERSION);
    m.put("pl", platform);
    m.put("rs", replicaSet);
    List<Object> keys = new ArrayList<>(nodes.size());
    nodes.forEach(k -> keys.add(k.bytes()));
    m.put("nd", keys);
    m.put("t", issuedMillis);
    return DagCbor.encode(m);
  }

  private static byte[] signed(byte[] body) {
    byte[] out = new byte[DOMAIN.length + body.length];
    System.arraycopy(DOMAIN, 0, out, 0, DOMAIN.length);
    System.arraycopy(body, 0, out, DOMAIN.length, body.length);
    return out;
  }

  /** A record with the platform key that signed it and the signature; {@link #verify()} before believing it. */
  public record Signed(PlatformRecord record, NodePublicKey platformKey, byte[] signature) {
    public boolean verify() {
      return platformKey.verifies(signed(record.encodeBody()), signature);
    }

    /** The wire form: {@code {r: record, k: platform key, s: signature}} (a DAG-CBOR map value). */
    Map<String, Object> toWire() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("r", DagCbor.decode(record.encodeBody()));
      m.put("k", platformKey.bytes());
      m.put("s", signature);
      return m;
    }

    /** Strict decoding of {@link #toWire()}'s form; the signature is not checked here. */
    static Signed fromWire(Object o) {
      if (!(o instanceof Map<?, ?> m) || !(m.get("r") instanceof Map<?, ?> r) || !(m.get("k") instanceof byte[] k)
          || !(m.get("s") instanceof byte[] s) || s.length != NodePublicKey.SIGNATURE_LENGTH) {
        throw new QueryProtocolException("pr: expected {r: record, k: key bytes, s: 64-byte signature}");
      }
      QueryWire.version(r, VERSION);
      List<NodePublicKey> nodes = new ArrayList<>();
      List<?> raw = QueryWire.list(r, "nd");
      if (raw.size() > MAX_NODES) {
        throw new QueryProtocolException("pr: more than " + MAX_NODES + " nodes");
      }
      try {
        for (Object n : raw) {
          if (!(n instanceof byte[] b)) {
            throw new QueryProtocolException("pr: nd must be a list of keys");
          }
          nodes.add(NodePublicKey.of(b));
        }
        return new Signed(new PlatformRecord(QueryWire.str(r, "pl", false), QueryWire.str(r, "rs", true), nodes,
            QueryWire.num(r, "t")), NodePublicKey.of(k), s);
      } catch (IllegalArgumentException e) {
        throw new QueryProtocolException("pr: " + e.getMessage());
      }
    }
  }
}
