package io.fedsearch.web.http;

import io.helidon.common.parameters.Parameters;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.query.FederatedResult;
import io.fedsearch.federation.query.FederatedSearch;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.SearchHit;
import io.fedsearch.indexer.search.SearchRequest;
import io.fedsearch.indexer.search.SearchResponse;
import io.fedsearch.reputation.service.ReputationService;
import io.fedsearch.web.node.RunningNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/search?q=&limit=&platform=&creator=&tag=&min_price=&max_price=&operator=all|any
 * &mode=federated|local&merge=exact|rrf&deadline_ms=&stats=true}. Federated (the default) answers from every
 * reachable node, exactly merged; local searches this node's index only. With the default operator ({@code all})
 * a query nothing fully matches is retried with {@code any}, and the response says so ({@code "relaxed": true}).
 */
public final class SearchApi {
  public enum Mode { FEDERATED, LOCAL }

  private final RunningNode node;

  public SearchApi(RunningNode node) {
    this.node = node;
  }

  public void handle(ServerRequest req, ServerResponse res) {
    Json.send(res, 200, search(req.query()));
  }

  /** The answer to a search with these parameters (the API's, and the search page's without a request). */
  public ObjectNode search(Parameters query) {
    String q = Params.text(query, "q").orElse("");
    boolean explicitOperator = Params.text(query, "operator").isPresent();
    SearchRequest.Operator op = Params.choice(query, "operator", SearchRequest.Operator.class, SearchRequest.Operator.ALL);
    Mode mode = Params.choice(query, "mode", Mode.class, Mode.FEDERATED);
    FederatedSearch.Merge merge = Params.choice(query, "merge", FederatedSearch.Merge.class, FederatedSearch.Merge.EXACT);
    int deadlineMs = Params.integer(query, "deadline_ms", (int) FederatedSearch.DEFAULT_DEADLINE.toMillis(), 50, 30_000);
    int limit = Params.integer(query, "limit", 10, 1, mode == Mode.LOCAL ? SearchRequest.MAX_LIMIT : 100);
    ResultWindow window = new ResultWindow(ResultWindow.Sort.parse(Params.text(query, "sort").orElse("relevance")),
        Params.text(query, "min_score").map(SearchApi::score).orElse(null),
        Params.integer(query, "offset", 0, 0, ResultWindow.MAX_DEPTH), limit);
    SearchRequest request;
    try {
      request = new SearchRequest(q, op, mode == Mode.LOCAL ? limit : window.depth(),
          Params.set(query, "platform"), Params.text(query, "creator").orElse(null), Params.text(query, "tag").orElse(null),
          Params.optionalLong(query, "min_price"), Params.optionalLong(query, "max_price"),
          Params.text(query, "stats").map(Boolean::parseBoolean).orElse(false), null);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    long start = System.nanoTime();
    if (mode == Mode.LOCAL) {
      ObjectNode out = local(request, q, op, explicitOperator);
      node.metrics().localSearch(System.nanoTime() - start);
      return out;
    }
    FederatedSearch search = node.federation().search();
    Duration deadline = Duration.ofMillis(deadlineMs);
    FederatedResult r = search.search(new FederatedSearch.Query(request, merge, deadline, explicitOperator));
    node.metrics().federatedSearch(r, merge == FederatedSearch.Merge.RRF, System.nanoTime() - start);
    // Typos: when the words found little (nothing, or only some of them), offer the closest words the federation
    // has; when they found nothing at all, show the corrected query's results at once and say so.
    Optional<String> corrected = q.isBlank() || (r.totalHits() >= FEW && !r.relaxed())
        ? Optional.empty() : search.correct(q);
    String correctedFrom = null;
    boolean autoCorrect = !"false".equals(Params.text(query, "correct").orElse("true"));
    if (autoCorrect && corrected.isPresent() && r.totalHits() == 0) {
      FederatedResult again = search.search(new FederatedSearch.Query(request.withQuery(corrected.get()), merge,
          deadline, explicitOperator));
      if (again.totalHits() > 0) {
        r = again;
        correctedFrom = q;
      }
    }
    ObjectNode out = federated(r, node.reputation(), window);
    corrected.ifPresent(c -> out.put("did_you_mean", c));
    if (correctedFrom != null) {
      out.put("corrected_from", correctedFrom);
    }
    return out;
  }

  /** Fewer matches than this (or only some words matching) and the answer offers a spelling correction. */
  static final int FEW = 3;

  private static double score(String s) {
    try {
      double v = Double.parseDouble(s);
      if (v >= 0 && v <= 100) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("min_score: a creator score from 0 to 100, got '" + s + "'");
  }

  private ObjectNode local(SearchRequest request, String q, SearchRequest.Operator op, boolean explicitOperator) {
    SearchResponse r = node.local().index().search(request);
    boolean relaxed = false;
    if (r.hits().isEmpty() && !explicitOperator && !q.isBlank()) {
      r = node.local().index().search(request.withOperator(SearchRequest.Operator.ANY));
      relaxed = true;
    }
    ObjectNode out = Json.object().put("query", q).put("mode", "local")
        .put("operator", (relaxed ? SearchRequest.Operator.ANY : op).name().toLowerCase(java.util.Locale.ROOT))
        .put("relaxed", relaxed).put("total", r.totalHits()).put("took_ms", r.tookMicros() / 1000.0);
    ArrayNode hits = out.putArray("hits");
    for (SearchHit h : r.hits()) {
      ObjectNode o = Json.signedEntry(h.entry());
      o.put("score", h.score());
      hits.add(o);
    }
    if (r.stats() != null) {
      out.set("stats", stats(r.stats()));
    }
    return out;
  }

  /** The federated answer: works with every listing (verified entry, hosting platform, price, token), and nodes. */
  static ObjectNode federated(FederatedResult r, ReputationService reputation, ResultWindow window) {
    ResultWindow.Page page = window.cut(r, reputation);
    ObjectNode out = Json.object().put("query", r.query()).put("mode", "federated").put("merge", r.merge())
        .put("operator", r.operator()).put("relaxed", r.relaxed()).put("total", r.totalHits())
        .put("took_ms", Math.round(r.tookMs() * 100) / 100.0).put("cached", r.cached())
        .put("answered_at", r.answeredAt().toString());
    if (r.cached()) {
      // Node statuses of a reused answer say what the nodes did then, not now (see FederatedResult).
      out.put("age_ms", Math.max(0, java.time.Duration.between(r.answeredAt(), java.time.Instant.now()).toMillis()));
    }
    // Paging: which slice of the (filtered, sorted) works this is, and whether another page exists. The works
    // considered are the federation's best `window.depth()`; more matches than that cannot be sorted or filtered here.
    out.put("offset", window.offset()).put("limit", window.limit())
        .put("sort", window.sort().name().toLowerCase(java.util.Locale.ROOT))
        .put("considered", page.considered()).put("hidden_by_score", page.hiddenByScore())
        .put("window_complete", r.works().size() < window.depth())
        .put("has_more", window.offset() + window.limit() < page.afterFilter()
            || (r.works().size() >= window.depth() && window.offset() + window.limit() < ResultWindow.MAX_DEPTH));
    ArrayNode works = out.putArray("hits");
    for (FederatedResult.Work w : page.works()) {
      FederatedResult.Listing best = w.listings().getFirst();
      ObjectNode o = Json.signedEntry(best.entry());
      o.put("work", w.key()).put("score", w.score()).put("text_score", w.textScore()).put("verified", true);
      if (w.paymentSignal() != null) {
        o.put("payment_signal", w.paymentSignal());
      }
      String creator = best.entry().entry().creator();
      if (!creator.isEmpty()) {
        reputation.lookup(creator).ifPresent(s -> o.putObject("creator_reputation").put("score", round(s.score()))
            .put("low", round(s.low())).put("high", round(s.high())).put("epoch", s.epoch()));
      }
      ArrayNode hosts = o.putArray("hosts");
      for (FederatedResult.Listing l : w.listings()) {
        ObjectNode host = hosts.addObject().put("platform", l.entry().entry().platform())
            .put("price", l.entry().entry().price()).put("cid", l.entry().cid().toString()).put("node", l.peer())
            .put("public_key", l.entry().signer().hex()).put("attribution_token", l.attributionToken());
        if (!l.entry().entry().url().isEmpty()) {
          host.put("url", l.entry().entry().url()); // where this platform serves the work (signed with the listing)
        }
      }
      works.add(o);
    }
    ArrayNode nodes = out.putArray("nodes");
    for (FederatedResult.NodeStatus n : r.nodes()) {
      ObjectNode o = nodes.addObject().put("peer", n.peer()).put("platform", n.platform()).put("status", n.status())
          .put("hits", n.hits()).put("took_ms", Math.round(n.tookMs() * 100) / 100.0).put("forged", n.forged())
          .put("hedge", n.hedge());
      if (n.error() != null) {
        o.put("error", n.error());
      }
    }
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static ObjectNode stats(QueryStats s) {
    ObjectNode o = Json.object().put("max_doc", s.maxDoc());
    ObjectNode fields = o.putObject("fields");
    for (Map.Entry<String, QueryStats.FieldStats> f : s.fields().entrySet()) {
      fields.putObject(f.getKey()).put("doc_count", f.getValue().docCount())
          .put("sum_total_term_freq", f.getValue().sumTotalTermFreq()).put("sum_doc_freq", f.getValue().sumDocFreq());
    }
    ArrayNode terms = o.putArray("terms");
    s.terms().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(t -> terms.addObject()
        .put("field", t.getKey().field()).put("term", t.getKey().term())
        .put("doc_freq", t.getValue().docFreq()).put("total_term_freq", t.getValue().totalTermFreq()));
    return o;
  }
}
