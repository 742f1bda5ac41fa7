package io.fedsearch.web.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.hub.HubAnswer;
import io.fedsearch.federation.payments.hub.HubProtocol;
import io.fedsearch.federation.payments.hub.HubRefusal;
import io.fedsearch.federation.payments.hub.HubRequest;
import io.fedsearch.federation.payments.hub.HubStatement;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import io.fedsearch.core.cbor.DagCbor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /fedsearch/hub/1.0.0}: a wallet that reaches the hub by its libp2p address (a bare host of its own) reads
 * the terms, buys from a platform through the hub and from the hub node's own catalog, reads the decided answer
 * again, and is refused with the hub's code when the fee it was shown is stale.
 */
@Timeout(120)
class HubProtocolTest {
  @TempDir Path dir;

  @Test
  void aWalletBuysThroughTheHubOverLibp2p() throws Exception {
    try (RunningNode shop = HubNetwork.platform(dir.resolve("shop"), "shop", HubNetwork.catalog("Copper kettle"),
            List.of());
        RunningNode hub = RunningNode.start(HubNetwork.hubDirectory(dir.resolve("hub"), 500, 0),
            new RunningNode.Options(0, shop.host().listenAddresses(), null));
        Host wallet = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build()) {
      wallet.start();
      HubProtocol p2p = new HubProtocol(wallet);
      PeerId hubPeer = p2p.connect(hub.host().listenAddresses().get(0));
      assertThat(hubPeer).isEqualTo(hub.host().peerId());
      var terms = p2p.terms(hubPeer);
      assertThat(terms.get("fee_drops")).isEqualTo(500L);
      NodePublicKey hubKey = NodePublicKey.fromHex((String) terms.get("public_key"));
      HubUser user = new HubUser((String) terms.get("account"), 10_000_000);
      String copper = HubNetwork.cid(shop, "Copper kettle");
      long cost = HubNetwork.PRICE + 500;

      HubRequest stale = request(user, HubUser.requestId(), copper, shop, 499, cost - 1);
      assertThatThrownBy(() -> p2p.buy(hubPeer, hubKey, stale)).isInstanceOf(HubRefusal.class)
          .hasMessageContaining("500 drops").extracting(e -> ((HubRefusal) e).code()).isEqualTo("fee_changed");

      String id = HubUser.requestId();
      HubAnswer a = p2p.buy(hubPeer, hubKey, request(user, id, copper, shop, 500, cost));
      assertThat(a.status()).isEqualTo("delivered");
      Receipt r = Receipt.decode(a.receipt().orElseThrow());
      assertThat(r.verify()).isTrue();
      assertThat(r.holder()).isEqualTo(user.receiptKey.publicKey());
      HubStatement ack = a.statement().orElseThrow();
      assertThat(ack.kind()).isEqualTo(HubStatement.Kind.ACK);
      assertThat(ack.consumed()).isEqualTo(cost);
      assertThat(p2p.status(hubPeer, id, user.channel.id()).map(HubAnswer::receipt)).contains(a.receipt());
      assertThat(p2p.status(hubPeer, HubUser.requestId(), user.channel.id())).isEmpty();

      // the hub's own listing, over the same op and the same channel: no hub fee, sold by the hub node itself
      io.fedsearch.web.http.NodeFixture.importInto(hub, HubNetwork.catalog("Hub kettle"));
      String own = HubNetwork.cid(hub, "Hub kettle");
      HubRequest feed = new HubRequest(HubUser.requestId(), user.channel.id(), Optional.empty(),
          Optional.of(user.channel.claimFor(cost + HubNetwork.PRICE + 500)), Cid.parse(own), hubPeer,
          HubNetwork.PRICE, 500, HubUser.token(NodeKey.generate(), own), user.receiptKey.publicKey());
      assertThatThrownBy(() -> p2p.buy(hubPeer, hubKey, feed)).isInstanceOf(HubRefusal.class)
          .hasMessageContaining("no hub fee").extracting(e -> ((HubRefusal) e).code()).isEqualTo("fee_changed");
      String ownId = HubUser.requestId();
      HubRequest mine = new HubRequest(ownId, user.channel.id(), Optional.empty(),
          Optional.of(user.channel.claimFor(cost + HubNetwork.PRICE)), Cid.parse(own), hubPeer, HubNetwork.PRICE, 0,
          HubUser.token(NodeKey.generate(), own), user.receiptKey.publicKey());
      HubAnswer o = p2p.buy(hubPeer, hubKey, mine); // the client checks the receipt is the hub node's, for this
      assertThat(o.status()).isEqualTo("delivered");
      Receipt ro = Receipt.decode(o.receipt().orElseThrow());
      assertThat(ro.platform()).isEqualTo(hub.local().key().publicKey());
      assertThat(o.statement().orElseThrow().consumed()).isEqualTo(cost + HubNetwork.PRICE);
      assertThat(p2p.status(hubPeer, ownId, user.channel.id()).map(HubAnswer::receipt)).contains(o.receipt());
      assertThat(HubNetwork.sales(hub)).isEqualTo(1);

      // hostile maps get a named refusal, not a reset or a purchase
      var rr = new io.fedsearch.federation.p2p.protocol.RequestResponse(wallet);
      for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("v", 2L, "op", "terms"),
          Map.of("v", 1L, "op", "sell"), Map.of("v", 1L, "op", "buy", "price", "free"),
          Map.of("v", 1L, "op", "buy", "request_id", "00", "channel", user.channel.id()))) {
        byte[] answer = rr.call(hubPeer, HubProtocol.PROTOCOL, DagCbor.encode(bad), HubProtocol.MAX_BYTES,
            java.time.Duration.ofSeconds(30)).get(40, java.util.concurrent.TimeUnit.SECONDS);
        Map<?, ?> m = (Map<?, ?>) DagCbor.decode(answer);
        assertThat(m.get("code")).as(bad.toString()).isEqualTo("bad_request");
        assertThat((String) m.get("error")).isNotBlank();
      }
    }
  }

  private static HubRequest request(HubUser user, String id, String cid, RunningNode platform, long fee,
      long cumulative) {
    return new HubRequest(id, user.channel.id(), Optional.of(user.channel.createBlob()),
        Optional.of(user.channel.claimFor(cumulative)), Cid.parse(cid), platform.host().peerId(),
        HubNetwork.PRICE, fee, HubUser.token(NodeKey.generate(), cid), user.receiptKey.publicKey());
  }
}
