package io.fedsearch.indexer.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.core.keys.NodeKey;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryTest {
  private final EntryParser parser = new EntryParser("npm");

  @Test
  void unknownFieldsAndPopularityStayOutOfTheSignedEntry() {
    Entry a = parser.parse("{\"id\":\"x\",\"title\":\"X\",\"popularity\":12345,\"extra\":{\"a\":1}}");
    Entry b = parser.parse("{\"id\":\"x\",\"title\":\"X\"}");
    assertThat(a.cid()).isEqualTo(b.cid());
    assertThat(a.platform()).isEqualTo("npm");
  }

  @Test
  void absentOptionalFieldsAreLeftOutSoReimportsGiveTheSameCid() {
    Entry a = parser.parse("{\"id\":\"x\",\"title\":\"X\",\"published\":null,\"content\":null,\"price\":0}");
    Entry b = parser.parse("{\"id\":\"x\",\"title\":\"X\"}");
    assertThat(a.cid()).isEqualTo(b.cid());
    Entry c = parser.parse("{\"id\":\"x\",\"title\":\"X\",\"published\":\"2024-01-01T01:00:00+01:00\"}");
    assertThat(c.published()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(c.cid()).isNotEqualTo(b.cid());
    assertThat(parser.parse("{\"id\":\"x\",\"title\":\"X\",\"published\":\"2024-01-01T00:00:00Z\"}").cid())
        .isEqualTo(c.cid());
  }

  @Test
  void errorsNameTheField() {
    assertThatThrownBy(() -> parser.parse("{\"id\":\"x\",\"title\":\"X\",\"price\":-1}"))
        .isInstanceOf(InvalidEntryException.class).hasMessageStartingWith("price:");
    assertThatThrownBy(() -> parser.parse("{\"id\":\"x\",\"title\":\"X\",\"price\":1.5}")).hasMessageStartingWith("price:");
    assertThatThrownBy(() -> parser.parse("{\"id\":\"x\",\"title\":\"X\",\"price\":\"10\"}")).hasMessageStartingWith("price:");
    assertThatThrownBy(() -> parser.parse("{\"id\":\"x\",\"title\":\"X\",\"price\":100000000000000001}"))
        .hasMessageStartingWith("price:");
    assertThatThrownBy(() -> parser.parse("{\"title\":\"X\"}")).hasMessageStartingWith("id:");
    assertThatThrownBy(() -> parser.parse("{\"id\":\"x\",\"title\":\" \"}")).hasMessageStartingWith("title:");
    assertThatThrownBy(() -> parser.parse("{\"id\":\"x\",\"title\":\"X\",\"tags\":\"a\"}")).hasMessageStartingWith("tags:");
    assertThatThrownBy(() -> parser.parse("{\"id\":\"x\",\"title\":\"X\",\"tags\":[1]}")).hasMessageStartingWith("tags[0]:");
    assertThatThrownBy(() -> parser.parse("{\"id\":\"x\",\"title\":\"X\",\"content\":\"bafynope\"}"))
        .hasMessageStartingWith("content:");
    assertThatThrownBy(() -> parser.parse("{\"id\":\"x\",\"title\":\"X\",\"published\":\"yesterday\"}"))
        .hasMessageStartingWith("published:");
    assertThatThrownBy(() -> parser.parse("{\"id\":\"x\",\"title\":\"" + "t".repeat(EntryLimits.TITLE + 1) + "\"}"))
        .hasMessageStartingWith("title:").hasMessageContaining("limit is " + EntryLimits.TITLE);
    assertThatThrownBy(() -> parser.parse("{\"id\":\"x\",\"title\":\"\\ud800\"}"))
        .hasMessageStartingWith("title:").hasMessageContaining("surrogate");
    assertThatThrownBy(() -> parser.parse("[1]")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> parser.parse("{\"id\":")).hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> new Entry("p", "i", "t", "", "", Collections.nCopies(65, "a"), "", 0, null, null))
        .hasMessageStartingWith("tags:");
  }

  @Test
  void blockRoundTripsAndForeignBlocksAreRejected() {
    Entry e = new Entry("p", "id", "Title", "d", "c", List.of("a"), "https://x", 7, Instant.EPOCH, null);
    assertThat(Entry.fromBlock(e.encode())).isEqualTo(e);
    byte[] altered = e.encode();
    altered[altered.length - 1] ^= 1; // still a valid entry, but another one: its CID differs
    assertThat(Entry.fromBlock(altered).cid()).isNotEqualTo(e.cid());
    byte[] trailing = java.util.Arrays.copyOf(e.encode(), e.encode().length + 1);
    assertThatThrownBy(() -> Entry.fromBlock(trailing)).isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("trailing");
    java.util.Map<String, Object> noTitle = new java.util.HashMap<>(e.toIpld());
    noTitle.remove("title");
    assertThatThrownBy(() -> Entry.fromBlock(io.fedsearch.core.cbor.DagCbor.encode(noTitle)))
        .hasMessageStartingWith("title:");
    assertThatThrownBy(() -> Entry.fromBlock(io.fedsearch.core.cbor.DagCbor.encode(java.util.Map.of("x", 1L))))
        .hasMessageContaining("unknown field");
  }

  @Test
  void signedEntryVerifiesOnlyWithItsSignerAndCid() {
    NodeKey key = NodeKey.generate();
    Entry e = new Entry("p", "id", "Title", "", "", List.of(), "", 0, null, null);
    SignedEntry s = SignedEntry.sign(e, key);
    assertThat(s.verify()).isTrue();
    assertThat(new SignedEntry(e, s.cid(), s.signature(), NodeKey.generate().publicKey()).verify()).isFalse();
    Entry other = new Entry("p", "id", "Forged title", "", "", List.of(), "", 0, null, null);
    assertThat(new SignedEntry(other, s.cid(), s.signature(), key.publicKey()).verify()).isFalse();
    Tombstone.Signed t = Tombstone.Signed.sign(new Tombstone("p", "id", Instant.EPOCH), key);
    assertThat(t.verify()).isTrue();
    assertThat(Tombstone.fromBlock(t.tombstone().encode())).isEqualTo(t.tombstone());
  }
}
