package io.fedsearch.web.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.ledger.Submitter;
import io.fedsearch.federation.payments.watch.ChannelMetrics;
import io.fedsearch.web.node.RunningNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Money, behind the admin token: {@code GET /api/channels} (both sides, with balances, spend rate, time to
 * exhaustion, warnings), {@code GET /api/payouts} (discovery fees owed and paid, netting), {@code GET /api/outbox}
 * (signed ledger transactions waiting or sent), {@code POST /api/outbox/submit}. {@code GET /api/wallet} shows the
 * node's XRPL address. Users buy with their own wallets, through a hub ({@link HubApi}): no node holds one.
 */
final class PaymentsApi {
  private final RunningNode node;
  private final AdminAuth admin;

  PaymentsApi(RunningNode node, AdminAuth admin) {
    this.node = node;
    this.admin = admin;
  }

  private Payments payments() {
    return node.payments();
  }

  void wallet(ServerRequest req, ServerResponse res) {
    Json.send(res, 200, wallet());
  }

  /** The node's XRPL account. */
  ObjectNode wallet() {
    Payments p = payments();
    return Json.object().put("address", p.account().address().value())
        .put("key_type", p.account().keyType().name().toLowerCase(java.util.Locale.ROOT))
        .put("public_key", p.account().publicKey().base16Value())
        .put("ledger", p.config().rippledUrl().orElse("none (embedded: signed transactions wait in the outbox)"));
  }

  void channels(ServerRequest req, ServerResponse res) {
    admin.require(req);
    Json.send(res, 200, channels());
  }

  /** Every channel the node pays into or is paid through, with its metrics (admin). */
  ObjectNode channels() {
    List<Object> out = new ArrayList<>();
    for (ChannelMetrics m : payments().monitor().all()) {
      out.add(PaymentsJson.channel(m));
    }
    return Json.object().set("channels", Json.MAPPER.valueToTree(out));
  }

  void payouts(ServerRequest req, ServerResponse res) {
    admin.require(req);
    Json.send(res, 200, payouts(Params.integer(req.query(), "limit", 100, 1, 10_000)));
  }

  /** Discovery fees owed and paid, the latest {@code limit} payouts, nettings (admin). */
  com.fasterxml.jackson.databind.JsonNode payouts(int limit) {
    return Json.MAPPER.valueToTree(PaymentsJson.payouts(payments(), limit));
  }

  void outbox(ServerRequest req, ServerResponse res) {
    admin.require(req);
    Json.send(res, 200, outbox());
  }

  /** Signed ledger transactions waiting or sent (admin). */
  ObjectNode outbox() {
    List<Object> out = new ArrayList<>();
    payments().outbox().list().forEach(e -> out.add(PaymentsJson.outboxEntry(e)));
    return Json.object().put("ledger_configured", payments().ledger().isPresent())
        .set("transactions", Json.MAPPER.valueToTree(out));
  }

  void submit(ServerRequest req, ServerResponse res) {
    admin.require(req);
    Json.send(res, 200, submit());
  }

  /** Sends the outbox to the ledger now (admin). */
  ObjectNode submit() {
    Optional<Submitter> s = payments().submitter();
    if (s.isEmpty()) {
      throw new ApiException(409, "no_ledger", "no rippled URL configured: signed transactions wait in the outbox");
    }
    Submitter.Round r = s.get().runOnce();
    io.fedsearch.web.node.PaymentEvents.submitted(r);
    return Json.object().put("submitted", r.submitted()).put("validated", r.validated())
        .put("failed", r.failed()).put("escalated", r.escalated()).set("notes", Json.MAPPER.valueToTree(r.notes()));
  }

  /** Admin. Body: {"node": <node key hex>, "action": "confirm" | "release"}: an operator's decision on a hold. */
  void hold(ServerRequest req, ServerResponse res) {
    admin.require(req);
    ObjectNode body = jsonBody(req, res, "{node, action}");
    String action = body.path("action").asText("");
    if (!action.equals("confirm") && !action.equals("release")) {
      throw ApiException.badRequest("action: confirm or release");
    }
    try {
      Json.send(res, 200, Json.object().put("result",
          PaymentsJson.decideHold(payments(), body.path("node").asText(""), action.equals("confirm"))));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static ObjectNode jsonBody(ServerRequest req, ServerResponse res, String shape) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(RequestBody.open(req, res).readNBytes(8 * 1024));
    } catch (IOException | ClassCastException e) {
      throw ApiException.badRequest("body: expected a JSON object " + shape);
    }
  }
}
