package io.fedsearch.web.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.indexer.index.EntryIndex;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/suggest?q=&limit=}: titles from this node's index completing what was typed (the search box's
 * suggestions). Local only: a keystroke must not fan out to the federation.
 */
public final class SuggestApi {
  static final int MAX_QUERY = 200;
  private final EntryIndex index;

  public SuggestApi(EntryIndex index) {
    this.index = index;
  }

  public void handle(ServerRequest req, ServerResponse res) {
    String q = req.query().first("q").orElse("");
    if (q.length() > MAX_QUERY) {
      throw ApiException.badRequest("q: at most " + MAX_QUERY + " characters, got " + q.length());
    }
    int limit = Params.integer(req, "limit", 8, 1, 20);
    ObjectNode out = Json.object().put("query", q);
    ArrayNode s = out.putArray("suggestions");
    if (!q.isBlank()) {
      index.suggestTitles(q, limit).forEach(s::add);
    }
    Json.send(res, 200, out);
  }
}
