package io.fedsearch.federation.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.indexer.cid.DagCbor;
import io.fedsearch.indexer.index.EntryDocuments;
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
  void pagesAndRequestsRoundTrip() {
    VocabularyPage p = new VocabularyPage(42, 3, FIELDS, EntryDocuments.DESCRIPTION,
        List.of(new VocabularyPage.Row("café", 2, 3), new VocabularyPage.Row("𠀋", 1, 1)),
        new VocabularyPage.Cursor(EntryDocuments.DESCRIPTION, "𠀋"));
    assertThat(VocabularyWire.decodeResponse(VocabularyWire.encode(p))).isEqualTo(p);
    VocabularyPage last = new VocabularyPage(42, 3, FIELDS, EntryDocuments.TITLE, List.of(), null);
    assertThat(VocabularyWire.decodeResponse(VocabularyWire.encode(last))).isEqualTo(last);
    VocabularyPage.Cursor c = new VocabularyPage.Cursor(EntryDocuments.TITLE, "heron");
    assertThat(VocabularyWire.decodeRequest(VocabularyWire.encode(c))).isEqualTo(c);
    assertThat(VocabularyWire.decodeRequest(VocabularyWire.encode(VocabularyPage.Cursor.START)))
        .isEqualTo(VocabularyPage.Cursor.START);
  }

  private static Map<String, Object> page() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", 1L);
    m.put("iv", 42L);
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
    rejects("v", 2L, "unsupported version");
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
    assertThatThrownBy(() -> VocabularyWire.decodeRequest(DagCbor.encode(Map.of("v", 1L, "f", "url"))))
        .hasMessageContaining("not a searched field");
  }
}
