package io.fedsearch.web.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.SearchHit;
import io.fedsearch.indexer.search.SearchRequest;
import io.fedsearch.indexer.search.SearchResponse;
import io.fedsearch.web.node.LocalNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/**
 * {@code GET /api/search?q=&limit=&platform=&creator=&tag=&min_price=&max_price=&operator=all|any&stats=true}.
 * With the default operator ({@code all}), a query no entry fully matches is retried with {@code any} and the
 * response says so ({@code "relaxed": true}).
 */
public final class SearchApi {
  private final LocalNode node;

  public SearchApi(LocalNode node) {
    this.node = node;
  }

  public void handle(ServerRequest req, ServerResponse res) {
    Json.send(res, 200, search(req));
  }

  ObjectNode search(ServerRequest req) {
    String q = Params.text(req, "q").orElse("");
    boolean explicitOperator = Params.text(req, "operator").isPresent();
    SearchRequest.Operator op = Params.choice(req, "operator", SearchRequest.Operator.class, SearchRequest.Operator.ALL);
    SearchRequest request;
    try {
      request = new SearchRequest(q, op, Params.integer(req, "limit", 10, 1, SearchRequest.MAX_LIMIT),
          Params.set(req, "platform"), Params.text(req, "creator").orElse(null), Params.text(req, "tag").orElse(null),
          Params.optionalLong(req, "min_price"), Params.optionalLong(req, "max_price"),
          Params.text(req, "stats").map(Boolean::parseBoolean).orElse(false), null);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    SearchResponse r = node.index().search(request);
    boolean relaxed = false;
    if (r.hits().isEmpty() && !explicitOperator && !q.isBlank()) {
      r = node.index().search(request.withOperator(SearchRequest.Operator.ANY));
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
