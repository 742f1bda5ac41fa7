package io.fedsearch.web.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.hub.HubAnswer;
import io.fedsearch.federation.payments.hub.HubRefusal;
import io.fedsearch.federation.payments.hub.HubRequest;
import io.fedsearch.federation.payments.hub.HubService;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.payee.SettlementStatus;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.web.node.RunningNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The hub's HTTP face (federation/HUB-API.md): {@code GET /api/hub} (terms), {@code POST /api/hub/purchases} (a
 * purchase forwarded to a platform: 200 delivered or credited, 4xx refused before anything was taken) and
 * {@code GET /api/hub/purchases/{request_id}?channel=} (the answer of a request already sent, {@code pending} while
 * in flight), {@code GET /api/hub/channels/{channel}/settlement} (how far the channel's value has reached the
 * ledger). 404 {@code hub_disabled} when the node is not a hub. A purchase must be JSON and, from a browser, come
 * from this node's own pages ({@link SameOrigin}); a wallet that sends no Origin passes.
 */
final class HubApi {
  /** Largest purchase body: a token, a create blob and a claim fit many times over. */
  static final int MAX_BODY = 16 * 1024;

  private final RunningNode node;

  HubApi(RunningNode node) {
    this.node = node;
  }

  private HubService hub() {
    return node.hub().orElseThrow(() -> new ApiException(404, "hub_disabled",
        "this node is not a hub (start it with --hub, or set \"hub\": {\"enabled\": true} in node.json)"));
  }

  void terms(ServerRequest req, ServerResponse res) {
    HubService.Terms t = hub().terms();
    Json.send(res, 200, Json.object().put("hub", true).put("account", t.account())
        .put("peer_id", node.host().peerId().toString()).put("public_key", t.publicKey().hex())
        .put("fee_bps", t.feeBps()).put("fee_drops", t.feeDrops()).put("in_flight_limit", t.inFlightLimit())
        .put("min_settle_delay_s", t.minSettleDelay()).set("channel_caps", Json.MAPPER.valueToTree(t.channelCaps())));
  }

  void purchase(ServerRequest req, ServerResponse res) {
    HubService hub = hub();
    SameOrigin.require(req);
    HubRequest q = request(body(req, res));
    HubAnswer a;
    try {
      a = hub.purchase(q);
    } catch (IllegalArgumentException e) { // a channel_create that is no signed PaymentChannelCreate
      throw ApiException.badRequest("channel_create: " + e.getMessage());
    } catch (HubRefusal e) {
      ObjectNode err = Json.error(e.status(), e.code(), e.getMessage());
      if (e.neededClaim() > 0) {
        ((ObjectNode) err.get("error")).put("needed_claim", e.neededClaim());
      }
      if (e.code().equals("fee_changed")) {
        ((ObjectNode) err.get("error")).put("hub_fee", hub.fee(q.platform(), q.price()));
      }
      Json.send(res, e.status(), err);
      return;
    }
    Json.send(res, 200, answer(a));
  }

  void status(ServerRequest req, ServerResponse res) {
    HubService hub = hub();
    String id = req.path().pathParameters().get("request_id");
    String channel = req.query().first("channel").orElseThrow(() -> ApiException.badRequest(
        "channel: the user channel the request was sent over"));
    Optional<HubAnswer> a = hub.status(id, channel);
    Json.send(res, 200, answer(a.orElseThrow(() -> new ApiException(404, "unknown_request",
        "this hub has no request " + id + " over channel " + channel + ": it was never journaled; send it again"))));
  }

  /**
   * How far a user channel's value has reached the ledger ({@link SettlementStatus}): the claim transactions that
   * settle it and when the next is due. A wallet places each purchase by its ack's {@code consumed}.
   */
  void settlement(ServerRequest req, ServerResponse res) {
    hub();
    String id = req.path().pathParameters().get("channel");
    if (!id.matches("[0-9A-Fa-f]{64}")) {
      throw ApiException.badRequest("channel: 64 hex digits, the id of your channel to this hub");
    }
    SettlementStatus.Channel c = node.payments().settlementStatus().of(id.toUpperCase(java.util.Locale.ROOT))
        .orElseThrow(() -> new ApiException(404, "unknown_channel", "this hub holds no claim over channel " + id
            + ": it learns a channel from the first purchase that sends its channel_create"));
    ObjectNode out = Json.object().put("channel", c.channel()).put("ledger", c.ledger())
        .put("authorised", c.authorised()).put("settled", c.settled()).put("threshold_drops", c.thresholdDrops());
    c.dueBy().ifPresentOrElse(t -> out.put("due_by", t.toString()), () -> out.putNull("due_by"));
    var claims = out.putArray("claims");
    for (Outbox.ClaimTx t : c.claims()) {
      ObjectNode o = claims.addObject().put("balance", t.balance()).put("status", t.status()).put("hash", t.hash())
          .put("updated_at", t.updatedAt().toString());
      t.result().ifPresent(r -> o.put("result", r));
    }
    Json.send(res, 200, out);
  }

  private static ObjectNode answer(HubAnswer a) {
    ObjectNode out = Json.object().put("status", a.status());
    a.receipt().ifPresent(r -> out.put("receipt", r));
    a.statement().ifPresent(s -> out.set(a.status().equals(HubAnswer.DELIVERED) ? "hub_ack" : "credit_note",
        Json.MAPPER.valueToTree(s.toMap())));
    a.reasonCode().ifPresent(code -> out.set("reason", Json.object().put("code", code)
        .put("message", a.reasonMessage().orElse(""))));
    return out;
  }

  private static JsonNode body(ServerRequest req, ServerResponse res) {
    try {
      byte[] bytes = RequestBody.open(req, res).readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new ApiException(413, "too_large", "a hub purchase is at most " + MAX_BODY + " bytes");
      }
      JsonNode n = Json.MAPPER.readTree(bytes);
      if (n == null || !n.isObject()) {
        throw new IOException("not an object");
      }
      return n;
    } catch (IOException e) {
      throw ApiException.badRequest("body: expected a JSON object {request_id, channel, claim, cid, platform,"
          + " price, token, hub_fee, receipt_key}");
    }
  }

  /** The request, every field checked for shape; a bad one is named in a 400 (bad_claim for the claim). */
  private static HubRequest request(JsonNode b) {
    Optional<Claim> claim = Optional.empty();
    JsonNode c = b.path("claim");
    if (!c.isMissingNode() && !c.isNull()) {
      try {
        if (!c.path("amount").canConvertToExactIntegral() || !c.path("signature").isTextual()) {
          throw new IllegalArgumentException("claim: {amount: cumulative drops, signature: hex}");
        }
        claim = Optional.of(new Claim(b.path("channel").asText(""), c.path("amount").asLong(),
            c.path("signature").asText()));
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "bad_claim", e.getMessage());
      }
    }
    try {
      return new HubRequest(text(b, "request_id"), text(b, "channel"),
          b.hasNonNull("channel_create") ? Optional.of(text(b, "channel_create")) : Optional.empty(), claim,
          Cid.parse(text(b, "cid")), PeerId.parse(text(b, "platform")), integer(b, "price"),
          integer(b, "hub_fee"), text(b, "token"), NodePublicKey.fromHex(text(b, "receipt_key")));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiException.badRequest(String.valueOf(e.getMessage()));
    }
  }

  private static String text(JsonNode b, String field) {
    JsonNode n = b.path(field);
    if (!n.isTextual()) {
      throw new IllegalArgumentException(field + ": required (a string)");
    }
    return n.asText();
  }

  private static long integer(JsonNode b, String field) {
    JsonNode n = b.path(field);
    if (!n.canConvertToExactIntegral()) {
      throw new IllegalArgumentException(field + ": required (an integer number of drops)");
    }
    return n.asLong();
  }
}
