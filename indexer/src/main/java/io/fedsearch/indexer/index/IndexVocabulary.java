package io.fedsearch.indexer.index;

import io.fedsearch.indexer.search.QueryParsing;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.VocabularyPage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

/**
 * Reads one page of an index's vocabulary ({@link VocabularyPage}). The figures are those phase one reports
 * ({@link IndexStatistics}): per term, document and total term frequency summed over segments, deleted documents
 * included, as Lucene's own statistics do; per field, Lucene's collection statistics.
 */
final class IndexVocabulary {
  private IndexVocabulary() {}

  static VocabularyPage page(IndexReader reader, long version, VocabularyPage.Cursor from, int maxRows,
      int maxTermBytes) throws IOException {
    Map<String, QueryStats.FieldStats> fields = new TreeMap<>();
    for (String f : QueryParsing.FIELDS) {
      Terms t = MultiTerms.getTerms(reader, f);
      fields.put(f, t == null || t.getDocCount() == 0 ? new QueryStats.FieldStats(0, 0, 0)
          : new QueryStats.FieldStats(t.getDocCount(), t.getSumTotalTermFreq(), t.getSumDocFreq()));
    }
    int fieldIndex = QueryParsing.FIELDS.indexOf(from.field());
    if (fieldIndex < 0) {
      throw new IllegalArgumentException("vocabulary: field " + from.field() + " is not a searched field");
    }
    List<VocabularyPage.Row> rows = new ArrayList<>();
    Terms terms = MultiTerms.getTerms(reader, from.field());
    int bytes = 0;
    if (terms != null) {
      TermsEnum te = terms.iterator();
      BytesRef t;
      if (from.after() == null) {
        t = te.next();
      } else {
        BytesRef after = new BytesRef(from.after());
        TermsEnum.SeekStatus st = te.seekCeil(after);
        t = st == TermsEnum.SeekStatus.END ? null : st == TermsEnum.SeekStatus.FOUND ? te.next() : te.term();
      }
      for (; t != null; t = te.next()) {
        if (rows.size() >= maxRows || bytes >= maxTermBytes) {
          return new VocabularyPage(version, reader.maxDoc(), fields, from.field(), rows,
              new VocabularyPage.Cursor(from.field(), rows.getLast().term()));
        }
        rows.add(new VocabularyPage.Row(t.utf8ToString(), te.docFreq(), te.totalTermFreq()));
        bytes += t.length;
      }
    }
    VocabularyPage.Cursor next = fieldIndex + 1 < QueryParsing.FIELDS.size()
        ? new VocabularyPage.Cursor(QueryParsing.FIELDS.get(fieldIndex + 1), null) : null;
    return new VocabularyPage(version, reader.maxDoc(), fields, from.field(), rows, next);
  }
}
