package io.fedsearch.web.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.ledger.Submitter;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.federation.payments.watch.ChannelMetrics;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.web.node.DemoWallet;
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
 * node's XRPL address. {@code POST /api/purchases} buys a listing with the demo wallet (demo nodes only).
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

  /** The node's XRPL account (and the demo wallet's, on demo nodes). */
  ObjectNode wallet() {
    Payments p = payments();
    return Json.object().put("address", p.account().address().value())
        .put("key_type", p.account().keyType().name().toLowerCase(java.util.Locale.ROOT))
        .put("public_key", p.account().publicKey().base16Value())
        .put("ledger", p.config().rippledUrl().orElse("none (embedded: signed transactions wait in the outbox)"))
        .put("demo_wallet", node.demoWallet().map(DemoWallet::address).orElse(null));
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

  /** Body: {"cid": …, "node": <peer id of the hosting platform>, "price": drops, "token": <attribution token>}. */
  void purchase(ServerRequest req, ServerResponse res) {
    SameOrigin.require(req); // it spends the demo wallet without an admin token: no other site may trigger it
    Json.send(res, 200, purchase(jsonBody(req, res, "{cid, node, price, token}")));
  }

  /** Buys with the demo wallet (demo nodes only): the platform's receipt, or a refusal the buyer can act on. */
  ObjectNode purchase(ObjectNode body) {
    DemoWallet wallet = node.demoWallet().orElseThrow(() -> new ApiException(404, "no_wallet",
        "this node holds no demo wallet; buy from your own wallet over /fedsearch/purchase/1.0.0"));
    Cid cid;
    PeerId platform;
    try {
      cid = Cid.parse(body.path("cid").asText());
      platform = PeerId.parse(body.path("node").asText());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    long price = body.path("price").asLong(-1);
    String token = body.path("token").asText("");
    if (price < 0 || token.isEmpty()) {
      throw ApiException.badRequest("price and token: required");
    }
    try {
      Receipt r = wallet.buy(node.purchaseProtocol(), platform, cid, price, token);
      return Json.object().put("sale_id", r.saleId()).put("cid", r.cid().toString()).put("price", r.price())
          .put("channel", r.channel()).put("claim_amount", r.claimAmount()).put("platform", r.platform().hex())
          .put("serving_node", r.servingNode().hex()).put("at", r.at().toString()).put("receipt", r.encode());
    } catch (PurchaseProtocol.Refused e) {
      throw new ApiException(402, e.code(), e.getMessage());
    } catch (IOException e) {
      throw new ApiException(502, "platform_unreachable", e.getMessage());
    }
  }
}
