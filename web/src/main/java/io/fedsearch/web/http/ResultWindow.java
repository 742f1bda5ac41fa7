package io.fedsearch.web.http;

import io.fedsearch.federation.query.FederatedResult;
import io.fedsearch.reputation.service.ReputationService;
import io.fedsearch.reputation.service.ScoreSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One page of a federated answer: which works, in which order, after the filters a person sets on the page.
 *
 * <p>Relevance paging is exact: the federation is asked for its best {@code offset + limit} works (global BM25, ties
 * broken by CID, so every page continues the one before), and the page is cut from them. Sorting by price or recency
 * and the creator-score filter reorder or drop works, so they are applied to a <em>window</em> of the best
 * {@link #SORT_WINDOW} works by relevance (or {@code offset + limit}, if deeper), before the page is cut — so the
 * filter counts and pages agree. When the federation has more matches than the window, the answer says so
 * ({@code window_complete: false}), like Elasticsearch's {@code max_result_window}.
 */
record ResultWindow(Sort sort, Double minScore, int offset, int limit) {
  /** The deepest a federated answer is paged or sorted: every node returns this many of its best works at most. */
  static final int MAX_DEPTH = 500;
  /** How many of the best works a non-relevance sort or the score filter works on. */
  static final int SORT_WINDOW = 200;

  /** The orders a person can choose. */
  enum Sort {
    RELEVANCE, PRICE_ASC, PRICE_DESC, RECENT;

    static Sort parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "relevance", "" -> RELEVANCE;
        case "price", "price_asc", "cheapest" -> PRICE_ASC;
        case "price_desc" -> PRICE_DESC;
        case "recent", "recency", "newest" -> RECENT;
        default -> throw ApiException.badRequest("sort: one of relevance, price, price_desc, recent; got '" + s + "'");
      };
    }
  }

  ResultWindow {
    if (offset < 0 || offset + limit > MAX_DEPTH) {
      throw ApiException.badRequest("offset: offset + limit must stay within the best " + MAX_DEPTH
          + " results (refine the query or add filters to see others), got offset " + offset);
    }
  }

  /** How many works to ask the federation for. */
  int depth() {
    return sort == Sort.RELEVANCE && minScore == null ? offset + limit : Math.max(offset + limit, SORT_WINDOW);
  }

  /** The page, and what the filter removed from the window. */
  record Page(List<FederatedResult.Work> works, int considered, int hiddenByScore, int afterFilter) {}

  Page cut(FederatedResult r, ReputationService reputation) {
    List<FederatedResult.Work> kept = new ArrayList<>(r.works().size());
    int hidden = 0;
    for (FederatedResult.Work w : r.works()) {
      if (minScore != null && score(w, reputation).map(s -> s.score() < minScore).orElse(true)) {
        hidden++;
      } else {
        kept.add(w);
      }
    }
    Comparator<FederatedResult.Work> order = switch (sort) {
      case RELEVANCE -> null; // already in the federation's order
      case PRICE_ASC -> Comparator.comparingLong(ResultWindow::lowestPrice);
      case PRICE_DESC -> Comparator.comparingLong(ResultWindow::lowestPrice).reversed();
      case RECENT -> Comparator.comparing(ResultWindow::published, Comparator.nullsLast(Comparator.reverseOrder()));
    };
    if (order != null) {
      kept.sort(order); // stable: equal keys keep relevance order, so pages do not reshuffle
    }
    int from = Math.min(offset, kept.size());
    int to = Math.min(offset + limit, kept.size());
    return new Page(List.copyOf(kept.subList(from, to)), r.works().size(), hidden, kept.size());
  }

  private static Optional<ScoreSummary> score(FederatedResult.Work w, ReputationService reputation) {
    String creator = w.listings().getFirst().entry().entry().creator();
    return creator.isEmpty() ? Optional.empty() : reputation.lookup(creator);
  }

  private static long lowestPrice(FederatedResult.Work w) {
    return w.listings().stream().mapToLong(l -> l.entry().entry().price()).min().orElse(0);
  }

  private static Instant published(FederatedResult.Work w) {
    return w.listings().stream().map(l -> l.entry().entry().published()).filter(java.util.Objects::nonNull)
        .max(Comparator.naturalOrder()).orElse(null);
  }
}
