package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fedsearch.federation.payments.userwallet.HubClient;
import io.fedsearch.federation.payments.userwallet.HubLink;
import io.fedsearch.federation.payments.userwallet.HubPurchases;
import io.fedsearch.federation.payments.userwallet.HubTerms;
import io.fedsearch.federation.payments.userwallet.Listing;
import io.fedsearch.federation.payments.userwallet.UserWallet;
import io.fedsearch.federation.payments.userwallet.WalletKey;
import io.fedsearch.federation.payments.userwallet.WalletTransactions;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.purchase.TestReceipts;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * The wallet against a hub that lies in statements it signs with its real key: a credit note that says the refused
 * purchase was consumed, and a delivery answered with the receipt of an earlier sale, are refused, and nothing they
 * say moves the wallet's figures. A hub double over HTTP, signing
 * credit notes exactly as {@code hub.HubStatement} specifies (domain ‖ DAG-CBOR of the fields, Ed25519).
 */
@Timeout(60)
class HostileHubTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLATFORM = "12D3KooWPlatformDouble";

  /**
   * A hub double that credits every purchase, stating {@code consumed.applyAsLong(cost)} as consumed; or, when
   * {@code deliver} is set, delivers with a receipt signed by {@code platformKey} — the first one it made, again and
   * again, when {@code replay} is set.
   */
  static final class CreditingHub implements AutoCloseable {
    final NodeKey key = NodeKey.generate();
    final NodeKey platformKey = NodeKey.generate();
    volatile boolean deliver;
    volatile boolean replay;
    String firstReceipt;
    long consumedSoFar;
    long sales;
    final String account = XrplAccountKey.generate(KeyType.ED25519).address().value();
    final HttpServer server;
    volatile LongUnaryOperator consumed = cost -> 0;
    long authorised;

    CreditingHub() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      server.createContext("/api/hub", this::handle);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized void handle(HttpExchange ex) throws IOException {
      ObjectNode out;
      if (ex.getRequestMethod().equals("GET")) {
        out = JSON.createObjectNode().put("hub", true).put("account", account).put("peer_id", "12D3KooWHubDouble")
            .put("public_key", key.publicKey().hex()).put("fee_bps", 0).put("fee_drops", 100)
            .put("in_flight_limit", 1).put("min_settle_delay_s", 0);
      } else {
        JsonNode q = JSON.readTree(ex.getRequestBody());
        authorised = Math.max(authorised, q.path("claim").path("amount").asLong(0));
        long cost = q.path("price").asLong() + q.path("hub_fee").asLong();
        if (deliver) {
          consumedSoFar += cost;
          String receipt = TestReceipts.sign(platformKey, ++sales, Cid.parse(q.path("cid").asText()),
              q.path("price").asLong(), "AB".repeat(32), q.path("price").asLong() * sales,
              NodePublicKey.fromHex(q.path("receipt_key").asText())).encode();
          if (firstReceipt == null) {
            firstReceipt = receipt;
          }
          out = JSON.createObjectNode().put("status", "delivered").put("receipt", replay ? firstReceipt : receipt);
          out.set("hub_ack", statement("hub_ack", "fedsearch/hub-ack/v1\n", q.path("request_id").asText(),
              q.path("channel").asText(), authorised, consumedSoFar, q.path("cid").asText(),
              q.path("platform").asText(), cost));
        } else {
          out = JSON.createObjectNode().put("status", "credited");
          out.set("credit_note", note(q.path("request_id").asText(), q.path("channel").asText(), authorised,
              consumed.applyAsLong(cost), q.path("cid").asText(), q.path("platform").asText(), cost));
          out.putObject("reason").put("code", "not_listed").put("message", "refused");
        }
      }
      byte[] b = out.toString().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    }

    /** A credit note signed as the hub signs one. */
    private JsonNode note(String requestId, String channel, long authorised, long consumed, String cid,
        String platform, long cost) {
      return statement("credit_note", "fedsearch/credit-note/v1\n", requestId, channel, authorised, consumed, cid,
          platform, cost);
    }

    /** A statement signed as the hub signs one: domain ‖ DAG-CBOR of the fields, Ed25519. */
    private JsonNode statement(String kind, String domainText, String requestId, String channel, long authorised,
        long consumed, String cid, String platform, long cost) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("request_id", requestId);
      f.put("channel", channel);
      f.put("authorised", authorised);
      f.put("consumed", consumed);
      f.put("credit", authorised - consumed);
      f.put("cid", cid);
      f.put("platform", platform);
      f.put("cost", cost);
      f.put("at", System.currentTimeMillis());
      byte[] domain = domainText.getBytes(StandardCharsets.US_ASCII);
      byte[] body = DagCbor.encode(f);
      byte[] msg = Arrays.copyOf(domain, domain.length + body.length);
      System.arraycopy(body, 0, msg, domain.length, body.length);
      ObjectNode n = JSON.createObjectNode().put("kind", kind);
      n.setAll((ObjectNode) JSON.valueToTree(f));
      return n.put("signature", HexFormat.of().formatHex(key.sign(msg))).put("public_key", key.publicKey().hex());
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void aCreditNoteThatConsumesTheRefusedPurchaseIsRefused(@TempDir Path tmp) throws Exception {
    try (CreditingHub hub = new CreditingHub();
        UserWallet w = UserWallet.create(tmp.resolve("w"), WalletKey.generate(KeyType.ED25519))) {
      HubClient http = new HubClient(Duration.ofSeconds(10));
      HubTerms terms = HubTerms.parse(http.get(hub.url(), "/api/hub").body());
      new WalletTransactions(w, Optional.empty(), Duration.ofSeconds(5)).open(hub.url(), terms, 5_000_000, 3600);
      HubPurchases purchases = new HubPurchases(w, new HubLink.HttpHubLink(http, hub.url()));
      Listing listing = new Listing("bafyfirst", PLATFORM, 10_000, "token");

      // An honest credit note first: the double's signatures verify, the credit is the cost.
      HubPurchases.Outcome honest = purchases.buy(purchases.quote(listing));
      assertThat(honest.status()).isEqualTo("credited");
      assertThat(w.state().credit()).isEqualTo(10_100);
      assertThat(w.state().signedMax).isEqualTo(10_100);

      // Now it refuses again yet says the purchase was consumed: the wallet records nothing of it.
      hub.consumed = cost -> cost;
      assertThatThrownBy(() -> purchases.buy(purchases.quote(new Listing("bafysecond", PLATFORM, 10_000,
          "token")))).hasMessageContaining("hub_overstates");
      assertThat(w.state().consumed).isZero();
      assertThat(w.state().credit()).isEqualTo(10_100);
      assertThat(w.state().signedMax).as("the credit paid; no claim was signed").isEqualTo(10_100);
      assertThat(w.state().creditNotes).hasSize(1);
    }
  }

  @Test
  void aDeliveryAnsweredWithAnEarlierReceiptIsRefused(@TempDir Path tmp) throws Exception {
    try (CreditingHub hub = new CreditingHub();
        UserWallet w = UserWallet.create(tmp.resolve("w"), WalletKey.generate(KeyType.ED25519))) {
      hub.deliver = true;
      HubClient http = new HubClient(Duration.ofSeconds(10));
      new WalletTransactions(w, Optional.empty(), Duration.ofSeconds(5)).open(hub.url(),
          HubTerms.parse(http.get(hub.url(), "/api/hub").body()), 5_000_000, 3600);
      HubPurchases purchases = new HubPurchases(w, new HubLink.HttpHubLink(http, hub.url()));
      String platform = PeerId.of(hub.platformKey.publicKey()).toString();
      String cid = Cid.ofDagCbor(DagCbor.encode(Map.of("title", "a work"))).toString();
      Listing listing = new Listing(cid, platform, 10_000, "token");

      assertThat(purchases.buy(purchases.quote(listing)).status()).isEqualTo("delivered");
      assertThat(w.state().consumed).isEqualTo(10_100);

      hub.replay = true; // the same work bought again; the hub keeps the money and shows the first sale's receipt
      assertThatThrownBy(() -> purchases.buy(purchases.quote(listing))).hasMessageContaining("receipt_replayed");
      assertThat(w.state().receipts).hasSize(1);
      assertThat(w.state().consumed).as("the replayed sale is not counted").isEqualTo(10_100);
      assertThat(w.state().pending).as("kept, to be asked again (and shown to whoever judges the hub)").isNotNull();
    }
  }
}
