package io.fedsearch.federation.query;

import io.fedsearch.indexer.search.QueryStats;
import java.util.Map;

/**
 * What a peer's BM25 statistics must satisfy before they are added into the global statistics: the bounds of a
 * real Lucene index (at most {@link #MAX_DOCS} documents; term frequencies summed per field at most
 * {@link #MAX_FREQ}) and the relations every index keeps (a term is in no more documents than hold its field, nor
 * than the index holds; occurs at least once in each document it is in; and so on). One peer's figures can then
 * neither overflow the sum over many peers ({@code 2^15} peers at the bounds still fit a long) nor turn another
 * platform's scores negative or infinite. A violation is refused by name: the asker lists that peer as an error
 * with the reason, and ranks without its figures.
 */
final class StatsBounds {
  /** Lucene's {@code IndexWriter.MAX_DOCS}: no index holds more documents. */
  static final long MAX_DOCS = Integer.MAX_VALUE - 128;
  /** A ceiling on any summed frequency of one index: 2^31 documents of 2^17 tokens each. */
  static final long MAX_FREQ = 1L << 48;

  private StatsBounds() {}

  /** Throws {@link QueryProtocolException} naming the first figure that no real index could report. */
  static void check(QueryStats s) {
    if (s.maxDoc() > MAX_DOCS) {
      throw refuse("maxDoc " + s.maxDoc() + " exceeds " + MAX_DOCS);
    }
    for (Map.Entry<String, QueryStats.FieldStats> e : s.fields().entrySet()) {
      QueryStats.FieldStats f = e.getValue();
      String at = " of field " + e.getKey();
      if (f.docCount() > s.maxDoc()) {
        throw refuse("docCount " + f.docCount() + at + " exceeds maxDoc " + s.maxDoc());
      }
      if (f.sumTotalTermFreq() > MAX_FREQ || f.sumDocFreq() > MAX_FREQ) {
        throw refuse("sumTotalTermFreq or sumDocFreq" + at + " exceeds " + MAX_FREQ);
      }
      if (f.sumDocFreq() > f.sumTotalTermFreq()) {
        throw refuse("sumDocFreq " + f.sumDocFreq() + at + " exceeds sumTotalTermFreq " + f.sumTotalTermFreq());
      }
      if (f.docCount() > f.sumDocFreq()) {
        throw refuse("docCount " + f.docCount() + at + " exceeds sumDocFreq " + f.sumDocFreq());
      }
    }
    for (Map.Entry<QueryStats.TermKey, QueryStats.TermStats> e : s.terms().entrySet()) {
      QueryStats.TermStats t = e.getValue();
      String at = " of " + e.getKey().field() + ":" + e.getKey().term();
      if (t.docFreq() > s.maxDoc()) {
        throw refuse("docFreq " + t.docFreq() + at + " exceeds maxDoc " + s.maxDoc());
      }
      if (t.totalTermFreq() > MAX_FREQ) {
        throw refuse("totalTermFreq " + t.totalTermFreq() + at + " exceeds " + MAX_FREQ);
      }
      if (t.docFreq() > t.totalTermFreq()) {
        throw refuse("docFreq " + t.docFreq() + at + " exceeds totalTermFreq " + t.totalTermFreq());
      }
      QueryStats.FieldStats f = s.fields().get(e.getKey().field());
      if (f != null && (t.docFreq() > f.docCount() || t.totalTermFreq() > f.sumTotalTermFreq())) {
        throw refuse("docFreq " + t.docFreq() + " or totalTermFreq " + t.totalTermFreq() + at
            + " exceeds its field's docCount " + f.docCount() + " or sumTotalTermFreq " + f.sumTotalTermFreq());
      }
    }
  }

  /** Whether {@code s} passes {@link #check}. */
  static boolean plausible(QueryStats s) {
    try {
      check(s);
      return true;
    } catch (QueryProtocolException e) {
      return false;
    }
  }

  private static QueryProtocolException refuse(String why) {
    return new QueryProtocolException("stats: " + why);
  }
}
