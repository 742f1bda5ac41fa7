package io.fedsearch.web.http;

import io.fedsearch.federation.payments.economics.EconomicsReader;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/economics?days=N} (admin): the node's money from its payments journal — sales revenue, discovery
 * fees earned and paid, hub fees, ledger fees, capital locked in channels and spent through them, per-payer
 * averages, and the last N UTC days one by one (30 unless asked; at most {@link EconomicsReader#MAX_DAYS}).
 */
final class EconomicsApi {
  private final EconomicsReader reader;
  private final AdminAuth admin;

  EconomicsApi(EconomicsReader reader, AdminAuth admin) {
    this.reader = reader;
    this.admin = admin;
  }

  void handle(ServerRequest req, ServerResponse res) {
    admin.require(req);
    Json.send(res, 200, economics(Params.integer(req.query(), "days", 30, 1, EconomicsReader.MAX_DAYS)));
  }

  /** The node's money over the last {@code days} days (admin). */
  com.fasterxml.jackson.databind.JsonNode economics(int days) {
    return reader.read(days).toJsonNode();
  }
}
