package io.fedsearch.indexer.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog digest names the set of live entries: equal on two indexes holding the same entries whatever
 * signed them and in what order they were written, different as soon as one entry differs, kept up to date by
 * replacements and deletions, and the same after reopening (recomputed from what was committed).
 */
class CatalogDigestTest {
  @TempDir Path dir;

  private static Entry entry(String id, String title) {
    return new Entry("shop", id, title, "", "", List.of(), "", 0, null, null);
  }

  @Test
  void sameEntriesSameDigestWhateverTheSignerOrOrder() throws Exception {
    List<Entry> entries = List.of(entry("a", "Anvil"), entry("b", "Bellows"), entry("c", "Chisel"));
    try (EntryIndex one = EntryIndex.open(dir.resolve("one"), NodeKey.generate());
        EntryIndex two = EntryIndex.open(dir.resolve("two"), NodeKey.generate());
        EntryIndex empty = EntryIndex.open(dir.resolve("empty"), NodeKey.generate())) {
      entries.forEach(one::upsert);
      entries.reversed().forEach(two::upsert);
      assertThat(one.catalogDigest()).isEqualTo(two.catalogDigest());
      assertThat(one.catalogDigest()).isNotEqualTo(empty.catalogDigest());

      two.upsert(entry("b", "Bellows, leather"));
      assertThat(two.catalogDigest()).isNotEqualTo(one.catalogDigest());
      two.upsert(entry("b", "Bellows"));
      assertThat(two.catalogDigest()).isEqualTo(one.catalogDigest());

      one.delete("shop", "c", Instant.now());
      two.delete("shop", "c", Instant.now().plusSeconds(1)); // another tombstone: tombstones are not in the digest
      assertThat(one.catalogDigest()).isEqualTo(two.catalogDigest());
      one.upsert(entry("c", "Chisel"));
      two.upsert(entry("c", "Chisel"));
      assertThat(one.catalogDigest()).isEqualTo(two.catalogDigest());
      one.commit();
    }
  }

  @Test
  void reopeningRecomputesTheSameDigest() throws Exception {
    NodeKey key = NodeKey.generate();
    byte[] before;
    try (EntryIndex index = EntryIndex.open(dir.resolve("n"), key)) {
      index.upsert(entry("a", "Anvil"));
      index.upsert(entry("b", "Bellows"));
      index.delete("shop", "a", Instant.now());
      index.commit();
      before = index.catalogDigest();
      index.upsert(entry("z", "Uncommitted"));
    }
    try (EntryIndex index = EntryIndex.open(dir.resolve("n"), key)) {
      assertThat(index.catalogDigest()).isEqualTo(before);
    }
  }

  /**
   * The digest is defined as a number: the sum modulo 2^256 of each live CID's SHA-256. Nodes compare digests, so
   * the four-limb arithmetic must give exactly that number through any run of additions and removals (carries and
   * borrows across every limb, wrapping below zero and past 2^256 included).
   */
  @Test
  void limbArithmeticIsTheSumModulo2To256() throws Exception {
    java.util.Random random = new java.util.Random(24);
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    java.math.BigInteger modulus = java.math.BigInteger.ONE.shiftLeft(256);
    java.math.BigInteger expected = java.math.BigInteger.ZERO;
    CatalogDigest digest = new CatalogDigest();
    List<String> live = new java.util.ArrayList<>();
    for (int op = 0; op < 5_000; op++) {
      boolean remove = !live.isEmpty() && random.nextInt(3) == 0;
      String cid = remove ? live.remove(random.nextInt(live.size())) : "b" + Long.toString(random.nextLong(), 32);
      java.math.BigInteger h = new java.math.BigInteger(1,
          sha.digest(cid.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      if (remove) {
        digest.remove(cid);
        expected = expected.subtract(h).mod(modulus);
      } else {
        digest.add(cid);
        live.add(cid);
        expected = expected.add(h).mod(modulus);
      }
      assertThat(new java.math.BigInteger(1, digest.bytes())).isEqualTo(expected);
    }
    live.forEach(digest::remove); // back to the empty catalog's digest
    assertThat(digest.bytes()).isEqualTo(new byte[32]);
  }
}
