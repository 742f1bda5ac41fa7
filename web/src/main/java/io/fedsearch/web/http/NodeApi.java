package io.fedsearch.web.http;

import io.fedsearch.web.node.LocalNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /api/node}: who this node is and what it holds. */
final class NodeApi {
  private final LocalNode node;

  NodeApi(LocalNode node) {
    this.node = node;
  }

  void handle(ServerRequest req, ServerResponse res) {
    Json.send(res, 200, Json.object()
        .put("platform", node.directory().platform())
        .put("public_key", node.key().publicKey().hex())
        .put("entries", node.index().entryCount())
        .put("tombstones", node.index().tombstoneCount()));
  }
}
