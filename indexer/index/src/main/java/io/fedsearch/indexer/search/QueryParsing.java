package io.fedsearch.indexer.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fedsearch.indexer.index.EntryDocuments;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;

/**
 * Turns what a user typed into a Lucene query over title (boosted) and description. Uses Lucene's
 * {@link SimpleQueryParser}, which never throws on odd input. Fuzzy and near operators are off: they expand
 * differently on every shard, which would make federated scores inexact.
 *
 * <p>Recent parses are remembered (Lucene queries are immutable): a node answering a federated query parses it for
 * the statistics phase and again for the search phase, and popular queries arrive from many peers.
 */
public final class QueryParsing {
  private static final int FLAGS = SimpleQueryParser.AND_OPERATOR | SimpleQueryParser.NOT_OPERATOR
      | SimpleQueryParser.OR_OPERATOR | SimpleQueryParser.PREFIX_OPERATOR | SimpleQueryParser.PHRASE_OPERATOR
      | SimpleQueryParser.PRECEDENCE_OPERATORS | SimpleQueryParser.ESCAPE_OPERATOR
      | SimpleQueryParser.WHITESPACE_OPERATOR;

  /** The fields a text query searches: the vocabulary a federation shares ({@link VocabularyPage}). */
  public static final List<String> FIELDS = List.of(EntryDocuments.DESCRIPTION, EntryDocuments.TITLE);

  private static final int REMEMBERED = 1024;
  private static final int LONGEST_REMEMBERED = 256;

  private final SimpleQueryParser all;
  private final SimpleQueryParser any;
  private final Cache<String, Query> recent = Caffeine.newBuilder().maximumSize(REMEMBERED)
      .executor(Runnable::run).build(); // housekeeping on the caller, not a pool thread woken per search

  public QueryParsing(Analyzer analyzer) {
    Map<String, Float> weights =
        Map.of(EntryDocuments.TITLE, EntryDocuments.TITLE_BOOST, EntryDocuments.DESCRIPTION, 1f);
    this.all = new SimpleQueryParser(analyzer, weights, FLAGS);
    this.all.setDefaultOperator(BooleanClause.Occur.MUST);
    this.any = new SimpleQueryParser(analyzer, weights, FLAGS);
  }

  /** The text query; match-all for blank input or input that analyses to nothing (only stopwords, say). */
  public Query parse(String text, SearchRequest.Operator operator) {
    if (text == null || text.isBlank()) {
      return new MatchAllDocsQuery();
    }
    String key = operator.name() + '\u0000' + text;
    Query known = recent.getIfPresent(key);
    if (known != null) {
      return known;
    }
    Query q = (operator == SearchRequest.Operator.ANY ? any : all).parse(text);
    Query parsed = q == null ? new MatchAllDocsQuery() : q;
    if (text.length() <= LONGEST_REMEMBERED) {
      recent.put(key, parsed);
    }
    return parsed;
  }
}
