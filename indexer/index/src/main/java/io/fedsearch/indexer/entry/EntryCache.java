package io.fedsearch.indexer.entry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fedsearch.core.cid.Cid;

/**
 * Entries decoded from their blocks, remembered by CID (a bounded Caffeine cache: the least useful go first). Reading an entry from a
 * block checks that the block is exactly the entry's canonical encoding — decode, re-encode, compare — which costs
 * far more than hashing the block; content addressing makes remembering the result safe: a block that hashes to a
 * remembered CID is the block that was checked. Blocks that fail are not remembered and fail again each time.
 */
public final class EntryCache {
  private final Cache<Cid, Entry> entries;

  public EntryCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.entries = Caffeine.newBuilder().initialCapacity(Math.min(capacity, 1024)).maximumSize(capacity)
        .executor(Runnable::run).build(); // housekeeping on the caller, not a pool thread woken per search
  }

  /**
   * As {@link #fromBlock(byte[])} for a block that comes with the CID its sender claims for it: an entry remembered
   * under that CID whose block is byte for byte this one is returned without hashing the block (the CID names those
   * bytes, and they were checked when remembered). The claim is only where to look, never believed: any other
   * block, or a claim that is no CID, is read and hashed as {@link #fromBlock(byte[])} does.
   */
  public Entry fromBlock(byte[] block, byte[] claimedCid) {
    Cid claimed;
    try {
      claimed = Cid.fromBytes(claimedCid);
    } catch (IllegalArgumentException e) {
      return fromBlock(block);
    }
    Entry known = entries.getIfPresent(claimed);
    return known != null && known.isBlock(block) ? known : fromBlock(block);
  }

  /** As {@link Entry#fromBlock(byte[])}. */
  public Entry fromBlock(byte[] block) {
    if (block.length > EntryLimits.MAX_BLOCK_BYTES) {
      return Entry.fromBlock(block); // rejects it, before hashing an oversized block
    }
    Cid cid = Cid.ofDagCbor(block);
    // getIfPresent then put rather than get(cid, fn): no lambda capturing the block on every lookup; two threads
    // decoding the same new block at once both do the work, as before.
    Entry e = entries.getIfPresent(cid);
    if (e == null) {
      e = Entry.fromBlock(block);
      entries.put(e.cid(), e);
    }
    return e;
  }
}
