package io.fedsearch.indexer.entry;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;

/**
 * An entry as a node serves it: the entry, its CID, and the hosting node's Ed25519 signature over the CID bytes.
 * Anyone holding the three can check it with {@link #verify()} — no trust in the transport needed.
 */
public record SignedEntry(Entry entry, Cid cid, byte[] signature, NodePublicKey signer) {

  public static SignedEntry sign(Entry entry, NodeKey key) {
    Cid cid = entry.cid();
    return new SignedEntry(entry, cid, key.sign(cid.bytes()), key.publicKey());
  }

  /** True when the CID is the entry's and the signature is the signer's over it. */
  public boolean verify() {
    return entry.cid().equals(cid) && signer.verifies(cid.bytes(), signature);
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
