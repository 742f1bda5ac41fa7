package io.fedsearch.indexer.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A block sent with the CID its sender claims: the claim only says where to look. A remembered entry is returned
 * for exactly its own bytes; another block under a known CID, a claim that is no CID, or a block that is no entry
 * are read (and hashed, and checked) as if no claim came with them.
 */
class EntryCacheTest {
  private static final Entry KETTLE = new Entry("shop", "k", "Copper kettle", "boils", "ann", List.of(), "", 5, null,
      null);
  private static final Entry TEAPOT = new Entry("shop", "t", "Teapot", "brews", "ann", List.of(), "", 7, null, null);

  @Test
  void aKnownBlockUnderItsCidIsTheRememberedEntry() {
    EntryCache cache = new EntryCache(16);
    Entry first = cache.fromBlock(KETTLE.encode());
    assertThat(cache.fromBlock(KETTLE.encode(), KETTLE.cid().bytes())).isSameAs(first).isEqualTo(KETTLE);
  }

  @Test
  void aClaimIsNeverBelieved() {
    EntryCache cache = new EntryCache(16);
    cache.fromBlock(KETTLE.encode());
    // another entry's block claimed under the kettle's CID: read as what it is
    Entry e = cache.fromBlock(TEAPOT.encode(), KETTLE.cid().bytes());
    assertThat(e).isEqualTo(TEAPOT);
    assertThat(e.cid()).isEqualTo(TEAPOT.cid()).isNotEqualTo(KETTLE.cid());
    // the kettle's block altered by one byte, still claimed as the kettle: not the kettle
    byte[] altered = KETTLE.encode();
    altered[altered.length - 1] ^= 1;
    assertThat(cache.fromBlock(altered, KETTLE.cid().bytes()).cid()).isNotEqualTo(KETTLE.cid());
    // a claim that is no CID at all, and a block that is no entry under a known CID
    assertThat(cache.fromBlock(TEAPOT.encode(), new byte[] {1, 2, 3})).isEqualTo(TEAPOT);
    assertThatThrownBy(() -> cache.fromBlock(new byte[] {(byte) 0xA0}, KETTLE.cid().bytes()))
        .isInstanceOf(InvalidEntryException.class);
  }
}
