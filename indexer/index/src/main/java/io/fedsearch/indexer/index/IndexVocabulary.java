package io.fedsearch.indexer.index;

import io.fedsearch.indexer.search.IndexSegments;
import io.fedsearch.indexer.search.QueryParsing;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.VocabularyPage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/**
 * Reads an index's segments ({@link IndexSegments}) and pages of one segment's vocabulary ({@link VocabularyPage}).
 * The figures are those phase one reports ({@link IndexStatistics}) split by segment: Lucene sums per-segment
 * document and total term frequencies (deleted documents included until a merge) and per-segment collection
 * statistics, so the sums over a version's segments are that version's statistics.
 */
final class IndexVocabulary {
  private IndexVocabulary() {}

  static IndexSegments segments(IndexReader reader, long version) throws IOException {
    List<IndexSegments.Segment> out = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      out.add(new IndexSegments.Segment(id(leaf.reader()), leaf.reader().maxDoc(), fields(leaf.reader())));
    }
    return new IndexSegments(version, out);
  }

  static VocabularyPage page(IndexReader reader, String segment, VocabularyPage.Cursor from, int maxRows,
      int maxTermBytes) throws IOException {
    LeafReader leaf = null;
    for (LeafReaderContext c : reader.leaves()) {
      if (id(c.reader()).equals(segment)) {
        leaf = c.reader();
        break;
      }
    }
    if (leaf == null) {
      throw new NoSuchElementException("vocabulary: no segment " + segment + " (merged away since it was listed)");
    }
    Map<String, QueryStats.FieldStats> fields = fields(leaf);
    int fieldIndex = QueryParsing.FIELDS.indexOf(from.field());
    if (fieldIndex < 0) {
      throw new IllegalArgumentException("vocabulary: field " + from.field() + " is not a searched field");
    }
    List<VocabularyPage.Row> rows = new ArrayList<>();
    Terms terms = leaf.terms(from.field());
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
          return new VocabularyPage(segment, leaf.maxDoc(), fields, from.field(), rows,
              new VocabularyPage.Cursor(from.field(), rows.getLast().term()));
        }
        rows.add(new VocabularyPage.Row(t.utf8ToString(), te.docFreq(), te.totalTermFreq()));
        bytes += t.length;
      }
    }
    VocabularyPage.Cursor next = fieldIndex + 1 < QueryParsing.FIELDS.size()
        ? new VocabularyPage.Cursor(QueryParsing.FIELDS.get(fieldIndex + 1), null) : null;
    return new VocabularyPage(segment, leaf.maxDoc(), fields, from.field(), rows, next);
  }

  private static Map<String, QueryStats.FieldStats> fields(LeafReader leaf) throws IOException {
    Map<String, QueryStats.FieldStats> fields = new TreeMap<>();
    for (String f : QueryParsing.FIELDS) {
      Terms t = leaf.terms(f);
      fields.put(f, t == null || t.getDocCount() == 0 ? QueryStats.FieldStats.EMPTY
          : new QueryStats.FieldStats(t.getDocCount(), t.getSumTotalTermFreq(), t.getSumDocFreq()));
    }
    return fields;
  }

  /** Lucene's id of the segment a leaf reads: unique to the segment, new for every flush or merge. */
  private static String id(LeafReader leaf) {
    if (FilterLeafReader.unwrap(leaf) instanceof SegmentReader sr) {
      return StringHelper.idToString(sr.getSegmentInfo().info.getId());
    }
    throw new IllegalStateException("vocabulary: a leaf that is not a segment: " + leaf);
  }
}
