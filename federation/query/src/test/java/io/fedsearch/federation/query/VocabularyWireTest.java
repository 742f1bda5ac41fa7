package io.fedsearch.federation.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.indexer.index.EntryDocuments;
import io.fedsearch.indexer.search.IndexSegments;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.VocabularyPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VocabularyWireTest {
  private static final Map<String, QueryStats.FieldStats> FIELDS = Map.of(
      EntryDocuments.DESCRIPTION, new QueryStats.FieldStats(3, 9, 8), EntryDocuments.TITLE, new QueryStats.FieldStats(3, 6, 6));

  @Test
  void pagesSegmentListsAndRequestsRoundTrip() {
    VocabularyPage p = new VocabularyPage("seg1", 3, FIELDS, EntryDocuments.DESCRIPTION,
        List.of(new VocabularyPage.Row("café", 2, 3), new VocabularyPage.Row("𠀋", 1, 1)),
        new VocabularyPage.Cursor(EntryDocuments.DESCRIPTION, "𠀋"));
    assertThat(VocabularyWire.decodeResponse(VocabularyWire.encode(p))).isEqualTo(p);
    VocabularyPage last = new VocabularyPage("seg1", 3, FIELDS, EntryDocuments.TITLE, List.of(), null);
    assertThat(VocabularyWire.decodeResponse(VocabularyWire.encode(last))).isEqualTo(last);
    IndexSegments list = new IndexSegments(42, List.of(new IndexSegments.Segment("seg1", 3, FIELDS),
        new IndexSegments.Segment("seg2", 0, Map.of())));
    assertThat(VocabularyWire.decodeSegments(VocabularyWire.encode(list))).isEqualTo(list);
    var c = new VocabularyWire.Request("seg2", new VocabularyPage.Cursor(EntryDocuments.TITLE, "heron"));
    assertThat(VocabularyWire.decodeRequest(VocabularyWire.encode(c))).isEqualTo(c);
    var start = new VocabularyWire.Request("seg2", VocabularyPage.Cursor.START);
    assertThat(VocabularyWire.decodeRequest(VocabularyWire.encode(start))).isEqualTo(start);
    assertThat(VocabularyWire.decodeRequest(VocabularyWire.encode(VocabularyWire.Request.SEGMENTS)))
        .isEqualTo(VocabularyWire.Request.SEGMENTS);
    assertThatThrownBy(() -> VocabularyWire.decodeResponse(VocabularyWire.encodeGone("seg1")))
        .isInstanceOf(VocabularyWire.SegmentGoneException.class).hasMessageContaining("seg1");
  }

  /** Bucket sets travel beside the rows; a page without them (an older peer's) reads as every bucket. */
  @Test
  void bucketSetsRoundTripAndArePresentOnlyWhenCounted() {
    VocabularyPage p = new VocabularyPage("seg1", 3, FIELDS, EntryDocuments.DESCRIPTION,
        List.of(new VocabularyPage.Row("café", 2, 3, new byte[] {0, 1, 0, 2}),
            new VocabularyPage.Row("𠀋", 1, 1, new byte[] {0, 63}), new VocabularyPage.Row("ibis", 3, 3)),
        null, 64);
    assertThat(VocabularyWire.decodeResponse(VocabularyWire.encode(p))).isEqualTo(p);
    Map<String, Object> old = page();
    VocabularyPage read = VocabularyWire.decodeResponse(DagCbor.encode(old));
    assertThat(read.buckets()).isZero();
    assertThat(read.rows().getFirst().bucketBytes()).isZero();
    Map<String, Object> m = page();
    m.put("b", 64L);
    m.put("bk", List.of(new byte[] {0, 5}));
    assertThat(VocabularyWire.decodeResponse(DagCbor.encode(m)).rows().getFirst().buckets())
        .isEqualTo(new byte[] {0, 5});
  }

  @Test
  void malformedBucketSetsAreRejectedByName() {
    Map<String, Object> m = page();
    m.put("b", 96L);
    m.put("bk", List.of(new byte[] {0, 5}));
    assertThatThrownBy(() -> VocabularyWire.decodeResponse(DagCbor.encode(m))).hasMessageContaining("power of two");
    m.put("b", 32768L);
    assertThatThrownBy(() -> VocabularyWire.decodeResponse(DagCbor.encode(m))).hasMessageContaining("outside");
    m.put("b", 64L);
    m.put("bk", List.of());
    assertThatThrownBy(() -> VocabularyWire.decodeResponse(DagCbor.encode(m)))
        .hasMessageContaining("one bucket set for each of the 1 terms");
    m.put("bk", List.of(new byte[9]));
    assertThatThrownBy(() -> VocabularyWire.decodeResponse(DagCbor.encode(m))).hasMessageContaining("at most 8 bytes");
    m.put("bk", List.of("0005"));
    assertThatThrownBy(() -> VocabularyWire.decodeResponse(DagCbor.encode(m))).hasMessageContaining("bucket set");
    m.remove("bk");
    assertThatThrownBy(() -> VocabularyWire.decodeResponse(DagCbor.encode(m))).hasMessageContaining("bk");
  }

  private static Map<String, Object> page() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", 2L);
    m.put("s", "seg1");
    m.put("n", 3L);
    m.put("fs", Map.of(EntryDocuments.TITLE, List.of(3L, 6L, 6L)));
    m.put("f", EntryDocuments.TITLE);
    m.put("t", List.of(List.of("heron", 1L, 1L)));
    m.put("nf", null);
    m.put("na", null);
    return m;
  }

  private static void rejects(String key, Object value, String why) {
    Map<String, Object> m = page();
    m.put(key, value);
    assertThatThrownBy(() -> VocabularyWire.decodeResponse(DagCbor.encode(m)))
        .isInstanceOf(QueryProtocolException.class).hasMessageContaining(why);
  }

  @Test
  void malformedPagesAreRejectedByName() {
    assertThat(VocabularyWire.decodeResponse(DagCbor.encode(page())).rows()).hasSize(1);
    rejects("v", 1L, "unsupported version");
    rejects("s", "../etc", "not a segment id");
    rejects("f", "creator", "not a searched field");
    rejects("fs", Map.of("creator", List.of(1L, 1L, 1L)), "not a searched field");
    rejects("t", List.of(List.of("heron", 1L)), "[text, docFreq, totalTermFreq]");
    rejects("t", List.of(List.of("heron", -1L, 1L)), "non-negative");
    List<Object> many = new ArrayList<>();
    for (int i = 0; i <= VocabularyWire.MAX_PAGE_ROWS; i++) {
      many.add(List.of("t" + i, 1L, 1L));
    }
    rejects("t", many, "more than " + VocabularyWire.MAX_PAGE_ROWS);
    rejects("nf", "creator", "not a searched field");
    assertThatThrownBy(() -> VocabularyWire.decodeResponse(new byte[VocabularyWire.MAX_RESPONSE_BYTES + 1]))
        .hasMessageContaining("exceeds");
    assertThatThrownBy(() -> VocabularyWire.decodeRequest(DagCbor.encode(Map.of("v", 2L, "op", "terms", "s", "x",
        "f", "url")))).hasMessageContaining("not a searched field");
    assertThatThrownBy(() -> VocabularyWire.decodeRequest(DagCbor.encode(Map.of("v", 2L, "op", "delete"))))
        .hasMessageContaining("op: must be");
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("v", 2L);
    list.put("iv", 1L);
    list.put("sg", List.of(List.of("a", 1L, Map.of()), List.of("a", 1L, Map.of())));
    assertThatThrownBy(() -> VocabularyWire.decodeSegments(DagCbor.encode(list)))
        .isInstanceOf(QueryProtocolException.class).hasMessageContaining("listed twice");
    list.put("sg", List.of(List.of("a", 1L, Map.of(EntryDocuments.TITLE, List.of(2L, 2L, 2L)))));
    assertThatThrownBy(() -> VocabularyWire.decodeSegments(DagCbor.encode(list)))
        .isInstanceOf(QueryProtocolException.class).hasMessageContaining("impossible figures");
  }
}
