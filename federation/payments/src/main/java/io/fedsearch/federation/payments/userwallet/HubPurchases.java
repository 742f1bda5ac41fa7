package io.fedsearch.federation.payments.userwallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.payments.hub.HubStatement;
import io.fedsearch.federation.payments.purchase.Receipt;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Buys through the hub over the wallet's one channel ({@code POST /api/hub/purchases}), keeping the wallet's money
 * rules:
 * <ul>
 *   <li>The request, with its claim, is written durably as {@code pending} before it is sent; a crash or timeout is
 *       resolved by asking the hub ({@code GET /api/hub/purchases/{request_id}}) and, when the hub never saw it,
 *       re-sending the very same request (same id, same signature), never a new signature.</li>
 *   <li>A new claim is signed only above every amount signed before ({@link WalletState#signedMax}); when the best
 *       claim already held covers the purchase it is re-sent; when the hub's stated credit covers it, no claim is
 *       sent at all.</li>
 *   <li>After an import ({@link WalletState#needsSync}) the first request carries no claim: the hub delivers it from
 *       credit or answers {@code over_balance} with the amount it needs, which is above every claim it holds.</li>
 *   <li>The hub's answers only move figures up: its acks and credit notes raise {@code authorised}/{@code consumed},
 *       and {@code over_balance} (with the cumulative amount it needs) raises the floor of the next claim, so a
 *       stale copy of the wallet can never get a lower or equal amount signed.</li>
 * </ul>
 */
public final class HubPurchases {
  /** Attempts of one purchase when the hub answers over_balance (a stale wallet learning the hub's figures). */
  static final int MAX_ATTEMPTS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final UserWallet wallet;
  private final HubLink hub;
  /**
   * Set once the hub answered over_balance with what it needs: the wallet then signs that, but stays in sync mode
   * (taking the hub's consumed) until the hub's signed statement for the purchase is recorded.
   */
  private boolean floorLearned;

  public HubPurchases(UserWallet wallet, HubLink hub) {
    this.wallet = wallet;
    this.hub = hub;
  }

  /** What a purchase will cost: the price, the hub's fee on it, their sum. */
  public record Quote(Listing listing, long hubFee, long cost, HubTerms terms) {}

  /** The outcome of a purchase: delivered (receipt), credited (credit note), pending, or refused by the hub. */
  public record Outcome(String status, String requestId, JsonNode answer, String code, String message) {
    public boolean delivered() {
      return "delivered".equals(status);
    }
  }

  /** Reads the hub's current terms and checks they are the hub this channel pays. */
  public Quote quote(Listing listing) throws IOException {
    WalletState s = requireChannel();
    HubClient.Reply r = hub.terms();
    if (!r.ok()) {
      throw new IllegalStateException("hub " + s.hub.url + " answered " + r.errorCode() + ": " + r.errorMessage());
    }
    HubTerms terms = HubTerms.parse(r.body());
    if (!terms.account().equals(s.hub.account)
        || (s.hub.publicKey != null && !s.hub.publicKey.isEmpty() && !s.hub.publicKey.equals(terms.publicKey()))) {
      throw new IllegalStateException("hub_changed: " + s.hub.url + " now names account " + terms.account()
          + " / key " + terms.publicKey() + ", the channel pays " + s.hub.account);
    }
    long fee = terms.feeFor(listing.platform(), listing.price());
    return new Quote(listing, fee, Math.addExact(listing.price(), fee), terms);
  }

  /** Resolves a purchase left pending by a crash or timeout; empty status "none" when there was none. */
  public Outcome recover() throws IOException {
    WalletState s = wallet.state();
    if (s.pending == null) {
      return new Outcome("none", null, null, null, null);
    }
    String id = s.pending.requestId;
    HubClient.Reply r = hub.status(id, s.channel.id);
    if (r.status() == 404 && "unknown_request".equals(r.errorCode())) {
      // The hub never journaled it: send exactly what was signed then.
      return send(s.pending.body);
    }
    return apply(s.pending.body, r);
  }

  /** Buys {@code q.listing()}; first resolves any pending purchase, so claims stay strictly increasing. */
  public Outcome buy(Quote q) throws IOException {
    Outcome previous = recover();
    if ("pending".equals(previous.status()) || "unknown".equals(previous.status())) {
      return new Outcome("blocked", previous.requestId(), previous.answer(), "in_flight",
          "an earlier purchase (" + previous.requestId() + ") is not decided yet; retry later");
    }
    Outcome last = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      last = send(request(q));
      if (!"refused".equals(last.status()) || !"over_balance".equals(last.code())) {
        return last;
      }
      if (neededFrom(last.answer()) > wallet.state().channel.amount) {
        return last; // the channel cannot cover it: the user must fund it
      }
      // apply() raised the floor to what the hub needs: the next attempt signs (or re-sends) that much.
    }
    return last;
  }

  private ObjectNode request(Quote q) {
    WalletState s = wallet.state();
    Listing l = q.listing();
    String platformReceiptKey = wallet.receiptKeys().publicKeyHex(l.platform());
    ObjectNode body = JSON.createObjectNode()
        .put("request_id", newRequestId()).put("channel", s.channel.id);
    if (!s.channel.hubHasCreate) {
      body.put("channel_create", s.channel.createBlob);
    }
    long needed = Math.addExact(s.consumed, q.cost());
    // After an import the hub may hold claims this copy never saw: ask without a claim first, and let the hub's
    // answer (delivered from credit, or over_balance naming the amount it needs) set the floor of the next one.
    boolean sendClaim = (!s.needsSync || floorLearned) && s.authorised < needed;
    if (sendClaim) {
      if (needed > s.channel.amount) {
        throw new IllegalStateException("channel_exhausted: this purchase needs a claim of " + needed
            + " drops, the channel holds " + s.channel.amount + " (run `fedsearch wallet fund`)");
      }
      if (s.signatureAmount >= needed && s.signatureAmount >= s.signedMax) {
        claim(body, s.signatureAmount, s.signedSignature); // re-send, never re-sign
      } else {
        long amount = Math.max(needed, s.signedMax + 1);
        if (amount > s.channel.amount) {
          throw new IllegalStateException("channel_exhausted: the next claim would be " + amount
              + " drops, the channel holds " + s.channel.amount + " (run `fedsearch wallet fund`)");
        }
        // The floor is durable before the signature exists: a crash from here on can never sign this amount again.
        s.reserve(amount);
        wallet.save();
        String sig = wallet.key().signClaim(s.channel.id, amount);
        s.signed(amount, sig);
        claim(body, amount, sig);
      }
    }
    body.put("cid", l.cid()).put("platform", l.platform()).put("price", l.price()).put("token", l.token())
        .put("hub_fee", q.hubFee()).put("receipt_key", platformReceiptKey);
    WalletState.Pending p = new WalletState.Pending();
    p.requestId = body.path("request_id").asText();
    p.body = body;
    p.at = Instant.now().toString();
    s.pending = p;
    wallet.save(); // durable before the claim leaves this machine
    return body;
  }

  private static void claim(ObjectNode body, long amount, String signature) {
    body.putObject("claim").put("amount", amount).put("signature", signature);
  }

  private Outcome send(JsonNode body) throws IOException {
    HubClient.Reply r;
    try {
      r = hub.purchase(body);
    } catch (IOException e) {
      return new Outcome("unknown", body.path("request_id").asText(), null, "unreachable",
          "hub did not answer (" + e.getMessage() + "); the purchase stays pending and is resolved next time");
    }
    return apply(body, r);
  }

  /** Records the hub's answer to {@code body}; every figure it states only moves the wallet's up. */
  private Outcome apply(JsonNode body, HubClient.Reply r) {
    WalletState s = wallet.state();
    String id = body.path("request_id").asText();
    // A 5xx is an unknown outcome, except the hub's platform_unreachable: refused before anything was journaled.
    if (r.status() >= 500 && !"platform_unreachable".equals(r.errorCode())) {
      return new Outcome("unknown", id, r.body(), r.errorCode(), "hub error; the purchase stays pending");
    }
    String status = r.body().path("status").asText("");
    if (r.ok() && "pending".equals(status)) {
      return new Outcome("pending", id, r.body(), null, "the hub is still deciding");
    }
    if (r.ok() && "delivered".equals(status)) {
      Receipt receipt = checkedReceipt(body, r.body().path("receipt").asText(""));
      // A receipt this wallet already holds proves an earlier sale, not this one: a hub answering with it kept
      // this purchase's money.
      String wire = receipt.encode();
      if (s.receipts.stream().anyMatch(old -> old.receipt.equals(wire) && !old.requestId.equals(id))) {
        throw new IllegalStateException("receipt_replayed: the hub answered " + id + " with the receipt of an"
            + " earlier purchase; nothing was recorded (keep its signed ack as proof)");
      }
      statement(r.body().path("hub_ack"), HubStatement.Kind.ACK, body);
      WalletState.ReceiptRecord rec = new WalletState.ReceiptRecord();
      rec.requestId = id;
      rec.cid = body.path("cid").asText();
      rec.platform = body.path("platform").asText();
      rec.price = body.path("price").asLong();
      rec.hubFee = body.path("hub_fee").asLong();
      rec.receiptKey = body.path("receipt_key").asText();
      rec.receipt = receipt.encode();
      rec.hubAck = r.body().path("hub_ack");
      rec.at = Instant.now().toString();
      s.receipts.add(rec);
      settled(body);
      return new Outcome("delivered", id, r.body(), null, null);
    }
    if (r.ok() && "credited".equals(status)) {
      statement(r.body().path("credit_note"), HubStatement.Kind.CREDIT_NOTE, body);
      WalletState.CreditRecord rec = new WalletState.CreditRecord();
      rec.requestId = id;
      rec.cid = body.path("cid").asText();
      rec.platform = body.path("platform").asText();
      rec.cost = body.path("price").asLong() + body.path("hub_fee").asLong();
      rec.reasonCode = r.body().path("reason").path("code").asText("");
      rec.reasonMessage = r.body().path("reason").path("message").asText("");
      rec.creditNote = r.body().path("credit_note");
      rec.at = Instant.now().toString();
      s.creditNotes.add(rec);
      settled(body);
      return new Outcome("credited", id, r.body(), rec.reasonCode, rec.reasonMessage);
    }
    if (r.ok()) {
      return new Outcome("unknown", id, r.body(), "bad_answer", "hub answered an unknown status " + status);
    }
    // A refusal: the hub did not take the purchase. The claim stays signed (the floor keeps it), the request ends.
    if ("over_balance".equals(r.errorCode())) {
      long needed = neededFrom(r.body());
      long cost = body.path("price").asLong() + body.path("hub_fee").asLong();
      // Outside a sync the hub can need at most this purchase above the best claim it could hold from this wallet:
      // more would be value it was never owed. After an import the wallet cannot know what the other copy spent,
      // so it takes the hub's figure once (that copy's receipts and acks show whether it was true).
      long ceiling = s.needsSync ? s.channel.amount : Math.max(s.signedMax, s.authorised) + cost;
      if (needed > ceiling) {
        if (s.pending != null && id.equals(s.pending.requestId)) {
          s.pending = null;
        }
        wallet.save();
        return new Outcome("refused", id, r.body(), "hub_overstates", "the hub asks for a cumulative claim of "
            + needed + " drops; this wallet signed at most " + s.signedMax + " and the purchase costs " + cost
            + ": nothing more was signed");
      }
      if (needed > 0) {
        s.signedMax = Math.max(s.signedMax, Math.min(needed - 1, s.channel.amount));
        floorLearned = true; // the hub said what it needs, above every claim it holds: sign that next
      }
    }
    if (s.pending != null && id.equals(s.pending.requestId)) {
      s.pending = null;
    }
    wallet.save();
    return new Outcome("refused", id, r.body(), r.errorCode(), r.errorMessage());
  }

  private void settled(JsonNode body) {
    WalletState s = wallet.state();
    if (body.has("channel_create")) {
      s.channel.hubHasCreate = true;
    }
    s.needsSync = false;
    if (s.pending != null && body.path("request_id").asText().equals(s.pending.requestId)) {
      s.pending = null;
    }
    wallet.save();
  }

  /**
   * Takes the hub's figures from a signed ack or credit note, once it verifies under the hub's key (the one
   * {@code GET /api/hub} named when the channel was opened) and is about this request and channel. A statement that
   * does not check out moves nothing and fails the command loudly: the answer is kept pending, to be asked again.
   */
  private void statement(JsonNode json, HubStatement.Kind kind, JsonNode body) {
    WalletState s = wallet.state();
    HubStatement st;
    try {
      st = HubStatement.fromMap(JSON.convertValue(json, java.util.Map.class));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the hub's " + kind + " is malformed: " + e.getMessage());
    }
    if (st.kind() != kind || !st.verify() || !st.publicKey().hex().equalsIgnoreCase(s.hub.publicKey)
        || !st.channel().equalsIgnoreCase(s.channel.id) || !st.requestId().equals(body.path("request_id").asText())
        || st.authorised() > s.channel.amount) {
      throw new IllegalStateException("the hub's " + kind + " for " + body.path("request_id").asText()
          + " does not verify under the hub's key " + s.hub.publicKey + " for this channel and request");
    }
    // What the hub may say was consumed: what this wallet's own purchases account for, plus this one if delivered.
    // (Right after an import the other copy's purchases are unknown: the hub's figure is taken, as over_balance's.)
    long cost = body.path("price").asLong() + body.path("hub_fee").asLong();
    long mostConsumed = s.consumed + (kind == HubStatement.Kind.ACK ? cost : 0);
    if (!s.needsSync && st.consumed() > mostConsumed) {
      throw new IllegalStateException("hub_overstates: the hub's " + kind + " for " + st.requestId() + " says "
          + st.consumed() + " drops consumed; this wallet's purchases account for " + mostConsumed
          + ". Nothing was recorded; keep this statement: it is signed proof of the hub's claim");
    }
    s.raiseFromHub(st.authorised(), st.consumed());
  }

  /** The platform's receipt must verify, be for what was bought, and name the user's receipt key when present. */
  private static Receipt checkedReceipt(JsonNode body, String wire) {
    Receipt r = Receipt.decode(wire);
    if (!r.verify()) {
      throw new IllegalStateException("the hub returned a receipt whose platform signature does not verify");
    }
    if (r.holder() == null || !r.holder().hex().equalsIgnoreCase(body.path("receipt_key").asText())) {
      throw new IllegalStateException("the platform's receipt does not name this wallet's receipt key as holder");
    }
    if (!io.fedsearch.federation.p2p.PeerId.of(r.platform()).toString().equals(body.path("platform").asText())) {
      throw new IllegalStateException("the hub returned a receipt signed by another platform than the one asked");
    }
    if (!r.cid().toString().equals(body.path("cid").asText()) || r.price() != body.path("price").asLong()) {
      throw new IllegalStateException("the hub returned a receipt for " + r.cid() + " at " + r.price()
          + ", not the purchase asked");
    }
    return r;
  }

  /** The cumulative claim the hub says it needs, from an {@code over_balance} error. */
  static long neededFrom(JsonNode answer) {
    JsonNode n = answer.path("error").path("needed_claim");
    return n.canConvertToLong() ? n.asLong() : 0;
  }

  private static String newRequestId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private WalletState requireChannel() {
    WalletState s = wallet.state();
    if (s.channel == null || s.hub == null) {
      throw new IllegalStateException("the wallet has no channel to a hub yet (run `fedsearch wallet open`)");
    }
    return s;
  }
}
