package io.fedsearch.web.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.query.TitleSuggestions;
import java.util.Collection;
import java.util.function.Supplier;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/suggest?q=&limit=}: titles completing what was typed (the search box's suggestions), from this
 * node's index and its index peers' ({@link TitleSuggestions}: from three characters on, a short deadline per peer,
 * answers cached per prefix, so a keystroke stays cheap for the federation).
 */
public final class SuggestApi {
  static final int MAX_QUERY = 200;
  private final TitleSuggestions titles;
  private final Supplier<Collection<PeerId>> peers;

  public SuggestApi(TitleSuggestions titles, Supplier<Collection<PeerId>> peers) {
    this.titles = titles;
    this.peers = peers;
  }

  public void handle(ServerRequest req, ServerResponse res) {
    String q = req.query().first("q").orElse("");
    if (q.length() > MAX_QUERY) {
      throw ApiException.badRequest("q: at most " + MAX_QUERY + " characters, got " + q.length());
    }
    int limit = Params.integer(req.query(), "limit", 8, 1, 20);
    ObjectNode out = Json.object().put("query", q);
    ArrayNode s = out.putArray("suggestions");
    if (!q.isBlank()) {
      titles.suggest(q, limit, peers.get()).forEach(s::add);
    }
    Json.send(res, 200, out);
  }
}
