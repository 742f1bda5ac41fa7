package io.fedsearch.indexer.entry;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record that (platform, id) was deleted at {@code deleted}. Content-addressed and signed like an entry, so a
 * deletion can propagate and be verified: a replica drops its copy only on a tombstone signed by the platform.
 */
public record Tombstone(String platform, String id, Instant deleted) {

  public Tombstone {
    Entry probe = new Entry(platform, id, "-", "", "", null, "", 0, null, null); // reuses the field rules
    platform = probe.platform();
    id = probe.id();
    if (deleted == null) {
      throw new InvalidEntryException("deleted", "is required");
    }
  }

  public String key() {
    return Entry.key(platform, id);
  }

  public byte[] encode() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("platform", platform);
    m.put("id", id);
    m.put("deleted", Entry.formatTime(deleted));
    return DagCbor.encode(m);
  }

  public Cid cid() {
    return Cid.ofDagCbor(encode());
  }

  /** Rebuilds a tombstone from its canonical block, rejecting anything else. */
  public static Tombstone fromBlock(byte[] block) {
    Object decoded;
    try {
      decoded = DagCbor.decode(block);
    } catch (IllegalArgumentException e) {
      throw new InvalidEntryException(null, "tombstone is not canonical DAG-CBOR: " + e.getMessage());
    }
    if (!(decoded instanceof Map<?, ?> m) || m.size() != 3
        || !(m.get("platform") instanceof String platform) || !(m.get("id") instanceof String id)
        || !(m.get("deleted") instanceof String deleted)) {
      throw new InvalidEntryException(null, "not a tombstone block");
    }
    Tombstone t = new Tombstone(platform, id, EntryParser.parseTime(deleted));
    if (!java.util.Arrays.equals(t.encode(), block)) {
      throw new InvalidEntryException(null, "tombstone block is not in canonical form");
    }
    return t;
  }

  /** A tombstone with the hosting node's signature over its CID bytes. */
  public record Signed(Tombstone tombstone, Cid cid, byte[] signature, NodePublicKey signer) {
    public static Signed sign(Tombstone t, NodeKey key) {
      Cid cid = t.cid();
      return new Signed(t, cid, key.sign(cid.bytes()), key.publicKey());
    }

    public boolean verify() {
      return tombstone.cid().equals(cid) && signer.verifies(cid.bytes(), signature);
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }
  }
}
