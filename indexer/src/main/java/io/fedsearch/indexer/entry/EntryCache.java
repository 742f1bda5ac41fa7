package io.fedsearch.indexer.entry;

import io.fedsearch.indexer.cid.Cid;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entries decoded from their blocks, remembered by CID (least recently used first out). Reading an entry from a
 * block checks that the block is exactly the entry's canonical encoding — decode, re-encode, compare — which costs
 * far more than hashing the block; content addressing makes remembering the result safe: a block that hashes to a
 * remembered CID is the block that was checked. Blocks that fail are not remembered and fail again each time.
 */
public final class EntryCache {
  private final Map<Cid, Entry> entries;

  public EntryCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Cid, io.fedsearch.indexer.entry.Entry> eldest) {
        return size() > capacity;
      }
    };
  }

  /** As {@link Entry#fromBlock(byte[])}. */
  public Entry fromBlock(byte[] block) {
    if (block.length > EntryLimits.MAX_BLOCK_BYTES) {
      return Entry.fromBlock(block); // rejects it, before hashing an oversized block
    }
    Cid cid = Cid.ofDagCbor(block);
    Entry e;
    synchronized (entries) {
      e = entries.get(cid);
    }
    if (e == null) {
      e = Entry.fromBlock(block);
      synchronized (entries) {
        entries.put(e.cid(), e);
      }
    }
    return e;
  }
}
