package io.fedsearch.indexer.index;

import io.fedsearch.indexer.search.SearchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/** The Lucene queries an {@link EntryIndex} runs: a request's filters, the live entries, title prefixes. */
final class IndexQueries {
  /** Live entries: documents of kind entry (tombstones are the other kind). */
  static final Query LIVE_ENTRIES = new TermQuery(new Term(EntryDocuments.KIND, EntryDocuments.KIND_ENTRY));
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  private IndexQueries() {}

  /** The text query with the request's filters, restricted to live entries. */
  static Query filtered(Query text, SearchRequest req) {
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(text, Occur.MUST);
    if (text instanceof MatchAllDocsQuery) {
      // Tombstones have no text fields, so only a query without terms can match one. A filter on every other query
      // would be a second, dense iterator that every candidate document has to be advanced on.
      b.add(LIVE_ENTRIES, Occur.FILTER);
    }
    if (!req.platforms().isEmpty()) {
      b.add(new TermInSetQuery(EntryDocuments.PLATFORM, req.platforms().stream().map(BytesRef::new).toList()),
          Occur.FILTER);
    }
    if (req.creator() != null) {
      b.add(new TermQuery(new Term(EntryDocuments.CREATOR, req.creator())), Occur.FILTER);
    }
    if (req.tag() != null) {
      b.add(new TermQuery(new Term(EntryDocuments.TAG, req.tag())), Occur.FILTER);
    }
    if (req.minPrice() != null || req.maxPrice() != null) {
      b.add(LongPoint.newRangeQuery(EntryDocuments.PRICE,
          req.minPrice() == null ? 0 : req.minPrice(),
          req.maxPrice() == null ? Long.MAX_VALUE : req.maxPrice()), Occur.FILTER);
    }
    return b.build();
  }

  /**
   * The title query for a search box's suggestions: the words typed so far must occur in the title, the last one as
   * a prefix (unless the text ends with a space); null when nothing searchable was typed.
   */
  static Query titlePrefix(String typed) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(typed);
    while (m.find() && words.size() < 8) {
      words.add(m.group().length() > 40 ? m.group().substring(0, 40) : m.group());
    }
    if (words.isEmpty()) {
      return null;
    }
    boolean lastComplete = Character.isWhitespace(typed.charAt(typed.length() - 1));
    String text = String.join(" ", words) + (lastComplete ? "" : "*");
    SimpleQueryParser parser = new SimpleQueryParser(EntryDocuments.analyzer(), Map.of(EntryDocuments.TITLE, 1f),
        SimpleQueryParser.PREFIX_OPERATOR | SimpleQueryParser.WHITESPACE_OPERATOR);
    parser.setDefaultOperator(Occur.MUST);
    return parser.parse(text);
  }

  static int[] docs(ScoreDoc[] hits) {
    int[] docs = new int[hits.length];
    for (int i = 0; i < docs.length; i++) {
      docs[i] = hits[i].doc;
    }
    return docs;
  }
}
