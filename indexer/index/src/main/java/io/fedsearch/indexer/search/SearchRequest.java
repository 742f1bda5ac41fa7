package io.fedsearch.indexer.search;

import java.util.Set;

/**
 * A search over one index. {@code query} uses the simple syntax (words, {@code "phrases"}, {@code |} for or,
 * {@code -not}, {@code prefix*}); blank browses. {@link Operator#ALL} (the default) requires every word, the usual
 * behaviour of catalog search; {@link Operator#ANY} ranks documents matching any word. Filters are exact. With
 * {@code includeStats} the response carries the query's {@link QueryStats}; with {@code globalStats} scores are
 * computed from those instead of local ones.
 */
public record SearchRequest(
    String query,
    Operator operator,
    int limit,
    Set<String> platforms,
    String creator,
    String tag,
    Long minPrice,
    Long maxPrice,
    boolean includeStats,
    QueryStats globalStats) {

  public static final int MAX_LIMIT = 1000;
  public static final int MAX_QUERY_CHARS = 1024;

  /** How words without an explicit operator combine. */
  public enum Operator { ALL, ANY }

  public SearchRequest {
    query = query == null ? "" : query;
    operator = operator == null ? Operator.ALL : operator;
    if (query.length() > MAX_QUERY_CHARS) {
      throw new IllegalArgumentException("q: query longer than " + MAX_QUERY_CHARS + " characters");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit: must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    platforms = platforms == null ? Set.of() : Set.copyOf(platforms);
    if (minPrice != null && maxPrice != null && minPrice > maxPrice) {
      throw new IllegalArgumentException("price: min " + minPrice + " exceeds max " + maxPrice);
    }
  }

  public static SearchRequest of(String query, int limit) {
    return new SearchRequest(query, Operator.ALL, limit, Set.of(), null, null, null, null, false, null);
  }

  public SearchRequest withStats(boolean include, QueryStats global) {
    return new SearchRequest(query, operator, limit, platforms, creator, tag, minPrice, maxPrice, include, global);
  }

  public SearchRequest withLimit(int k) {
    return new SearchRequest(query, operator, k, platforms, creator, tag, minPrice, maxPrice, includeStats, globalStats);
  }

  public SearchRequest withPlatforms(Set<String> p) {
    return new SearchRequest(query, operator, limit, p, creator, tag, minPrice, maxPrice, includeStats, globalStats);
  }

  public SearchRequest withQuery(String q) {
    return new SearchRequest(q, operator, limit, platforms, creator, tag, minPrice, maxPrice, includeStats, globalStats);
  }

  public SearchRequest withOperator(Operator op) {
    return new SearchRequest(query, op, limit, platforms, creator, tag, minPrice, maxPrice, includeStats, globalStats);
  }
}
