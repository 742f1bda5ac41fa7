package io.fedsearch.indexer.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fedsearch.indexer.search.DocBuckets;
import io.fedsearch.indexer.search.IndexSegments;
import io.fedsearch.indexer.search.QueryParsing;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.VocabularyPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/**
 * Reads an index's segments ({@link IndexSegments}) and pages of one segment's vocabulary ({@link VocabularyPage}).
 * The figures are those phase one reports ({@link IndexStatistics}) split by segment: Lucene sums per-segment
 * document and total term frequencies (deleted documents included until a merge) and per-segment collection
 * statistics, so the sums over a version's segments are that version's statistics. Each term also comes with the
 * buckets of the segment's documents holding it ({@link DocBuckets}), read from its postings (deleted documents
 * included, so the set is never smaller than where the term is). Which terms get a set is decided per segment
 * ({@link DocBuckets#threshold}, from a pass over the terms' document frequencies): those in at most
 * {@code DENSE × B} documents, rarest first, within the segment's budget of bytes; the others are sent as every
 * bucket without reading their postings, which bounds a page's cost to about {@code DENSE × B} postings a term.
 */
final class IndexVocabulary {
  /**
   * Each segment's {@link DocBuckets#threshold}, by segment id: a segment never changes, and its vocabulary is read a
   * page at a time, so the pass over its terms that decides the threshold is made once, not for every page.
   */
  private static final Cache<String, Long> THRESHOLDS = Caffeine.newBuilder().maximumSize(4_096).build();

  private IndexVocabulary() {}

  static IndexSegments segments(IndexReader reader, long version) throws IOException {
    List<IndexSegments.Segment> out = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      out.add(new IndexSegments.Segment(id(leaf.reader()), leaf.reader().maxDoc(), fields(leaf.reader())));
    }
    return new IndexSegments(version, out);
  }

  /** A page of at most {@code maxRows} terms, ending after the term that brings it to {@code maxBytes} bytes of
   * term text and bucket sets. */
  static VocabularyPage page(IndexReader reader, String segment, VocabularyPage.Cursor from, int maxRows,
      int maxBytes) throws IOException {
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
    int buckets = DocBuckets.count(leaf.maxDoc());
    LeafReader segmentReader = leaf;
    long threshold = THRESHOLDS.get(segment, id -> {
      try {
        return setThreshold(segmentReader, buckets);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    long[] bits = new long[buckets / 64];
    PostingsEnum postings = null;
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
        if (rows.size() >= maxRows || bytes >= maxBytes) {
          return new VocabularyPage(segment, leaf.maxDoc(), fields, from.field(), rows,
              new VocabularyPage.Cursor(from.field(), rows.getLast().term()), buckets);
        }
        byte[] where = DocBuckets.EVERY;
        if (te.docFreq() <= threshold) {
          postings = te.postings(postings, PostingsEnum.NONE);
          java.util.Arrays.fill(bits, 0);
          for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
            int b = DocBuckets.of(d, buckets);
            bits[b >>> 6] |= 1L << b;
          }
          where = DocBuckets.encode(bits, buckets);
        }
        rows.add(new VocabularyPage.Row(t.utf8ToString(), te.docFreq(), te.totalTermFreq(), where));
        bytes += t.length + where.length;
      }
    }
    VocabularyPage.Cursor next = fieldIndex + 1 < QueryParsing.FIELDS.size()
        ? new VocabularyPage.Cursor(QueryParsing.FIELDS.get(fieldIndex + 1), null) : null;
    return new VocabularyPage(segment, leaf.maxDoc(), fields, from.field(), rows, next, buckets);
  }

  /** {@link DocBuckets#threshold} for a segment: one pass over its searched fields' terms, frequencies only. */
  private static long setThreshold(LeafReader leaf, int buckets) throws IOException {
    long[] byDocFreq = new long[DocBuckets.DENSE * buckets + 1];
    long terms = 0;
    for (String f : QueryParsing.FIELDS) {
      Terms t = leaf.terms(f);
      if (t == null) {
        continue;
      }
      TermsEnum te = t.iterator();
      while (te.next() != null) {
        terms++;
        if (te.docFreq() < byDocFreq.length) {
          byDocFreq[te.docFreq()]++;
        }
      }
    }
    return DocBuckets.threshold(byDocFreq, terms, buckets);
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
