package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.hub.HubAnswer;
import io.fedsearch.federation.payments.hub.HubConfig;
import io.fedsearch.federation.payments.hub.HubProtocol;
import io.fedsearch.federation.payments.hub.HubRefusal;
import io.fedsearch.federation.payments.hub.HubRequest;
import io.fedsearch.federation.payments.hub.HubService;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payee.SettlementStatus;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * A hub with a ledger (the rippled test double): its liquidity toward a platform is what the validated ledger
 * holds on its channel. A purchase that does not fit waits briefly for the channel (or its top-up) to validate and
 * is refused {@code liquidity} with the reason — the user's claim not taken, nothing sold — and goes through once
 * the ledger has it. Wallet ↔ hub over {@code /fedsearch/hub/1.0.0}, hub ↔ platform over the purchase protocol.
 */
class HubLedgerTest {
  static final long PRICE = 1_500_000;
  static final long FEE = 2_000;
  static final long COST = PRICE + FEE;

  @TempDir Path dir;
  RippledTestDouble rippled;
  P2pPayments fed;
  HubService hub;
  final Cid work = Cid.ofDagCbor(DagCbor.encode(Map.of("title", "a work sold through a hub")));

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
    if (fed != null) {
      fed.close();
    }
    rippled.close();
  }

  HubRequest request(UserChannel user, NodePublicKey receiptKey, long cumulative, boolean create) {
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    String token = AttributionToken.issue(NodeKey.generate(), work, "q", Clock.systemUTC().instant().minusSeconds(5),
        Duration.ofHours(1)).encode();
    return new HubRequest(HexFormat.of().formatHex(id), user.id(),
        create ? Optional.of(user.createBlob()) : Optional.empty(), Optional.of(user.claimFor(cumulative)), work,
        fed.peer(0), PRICE, FEE, token, receiptKey);
  }

  /**
   * A platform (node 0, listing the work) and a hub (node 1, funding {@code platformChannelDrops} per channel to a
   * platform) following the ledger double; returns the wallet's side of the hub protocol.
   */
  HubProtocol startHub(long platformChannelDrops) throws Exception {
    rippled = new RippledTestDouble();
    fed = new P2pPayments(dir, 2, PaymentsConfig.defaults().withRippledUrl(rippled.url()), Clock.systemUTC());
    fed.list(0, work, PRICE);
    hub = HubService.start(fed.nodes.get(1), fed.keys.get(1), new PurchaseProtocol(fed.hosts.get(1)),
        new HubConfig(true, 0, FEE, 1, platformChannelDrops, 86_400, Duration.ofMillis(300)), Clock.systemUTC());
    new HubProtocol(fed.hosts.get(1)).serve(hub);
    return new HubProtocol(fed.buyer);
  }

  /** The hub's periodic work twice around a ledger close: its outbox is sent, validated and read back. */
  void ledgerValidatesWhatTheHubQueued(Payments hubPayments) {
    hubPayments.tick();
    rippled.closeLedger();
    hubPayments.tick();
  }

  @Test
  void aPurchaseBeyondTheHubsLiquidityIsRefusedUntilTheLedgerHasIt() throws Exception {
    HubProtocol wallet = startHub(PRICE); // channels to platforms hold one price: every second purchase a top-up
    Payments platform = fed.nodes.get(0);
    Payments hubPayments = fed.nodes.get(1);
    PeerId hubPeer = fed.peer(1);
    NodePublicKey hubKey = fed.keys.get(1).publicKey();

    UserChannel user = UserChannel.open(XrplAccountKey.generate(KeyType.ED25519),
        hubPayments.account().address().value(), 10_000_000, 86_400, Optional.empty(), 1, 12);
    assertThat(rippled.validate(user.createBlob())).isEqualTo("tesSUCCESS");
    NodePublicKey receiptKey = NodeKey.generate().publicKey();

    // no channel to the platform yet: opened, but not on the validated ledger within the wait
    assertThatThrownBy(() -> wallet.buy(hubPeer, hubKey, request(user, receiptKey, COST, true)))
        .isInstanceOfSatisfying(HubRefusal.class, e -> {
          assertThat(e.code()).isEqualTo("liquidity");
          assertThat(e.getMessage()).contains("on its way to the ledger");
        });
    assertThat(hubPayments.payee().channel(user.id()).map(v -> v.best()).orElse(0L)).as("claim not taken").isZero();
    assertThat(platform.fees().all()).isEmpty();

    ledgerValidatesWhatTheHubQueued(hubPayments);
    HubAnswer first = wallet.buy(hubPeer, hubKey, request(user, receiptKey, COST, true));
    assertThat(first.status()).isEqualTo("delivered");

    // the channel holds one price and it is spent: a top-up is queued, the purchase refused until it validates
    assertThatThrownBy(() -> wallet.buy(hubPeer, hubKey, request(user, receiptKey, 2 * COST, false)))
        .isInstanceOfSatisfying(HubRefusal.class, e -> assertThat(e.code()).isEqualTo("liquidity"));
    assertThat(hubPayments.payee().channel(user.id()).orElseThrow().best()).isEqualTo(COST);
    ledgerValidatesWhatTheHubQueued(hubPayments);
    HubAnswer second = wallet.buy(hubPeer, hubKey, request(user, receiptKey, 2 * COST, false));
    assertThat(second.status()).isEqualTo("delivered");
    assertThat(second.statement().orElseThrow().consumed()).isEqualTo(2 * COST);
    assertThat(platform.payee().channels()).singleElement()
        .satisfies(v -> assertThat(v.best()).as("the platform got two prices").isEqualTo(2 * PRICE));
  }

  /**
   * What a user can see of settlement ({@code SettlementStatus}): a delivered purchase is accepted, then pending
   * settlement once the hub's claim over the user's channel is signed and queued (its hash), then settled once the
   * ledger validated that claim (the validated transaction's hash); the next purchase starts again as accepted.
   */
  @Test
  void aPurchaseIsAcceptedThenPendingSettlementThenSettledWithTheValidatedHash() throws Exception {
    HubProtocol wallet = startHub(10 * PRICE);
    Payments hubPayments = fed.nodes.get(1);
    UserChannel user = UserChannel.open(XrplAccountKey.generate(KeyType.ED25519),
        hubPayments.account().address().value(), 10_000_000, 86_400, Optional.empty(), 1, 12);
    assertThat(rippled.validate(user.createBlob())).isEqualTo("tesSUCCESS");
    NodePublicKey receiptKey = NodeKey.generate().publicKey();
    assertThatThrownBy(() -> wallet.buy(fed.peer(1), fed.keys.get(1).publicKey(), request(user, receiptKey, COST,
        true))).isInstanceOf(HubRefusal.class); // the hub's own channel to the platform is not on the ledger yet
    ledgerValidatesWhatTheHubQueued(hubPayments);
    HubAnswer first = wallet.buy(fed.peer(1), fed.keys.get(1).publicKey(), request(user, receiptKey, COST, true));
    long after = first.statement().orElseThrow().consumed();
    var status = hubPayments.settlementStatus();

    var accepted = status.of(user.id()).orElseThrow();
    assertThat(accepted.ledger()).isTrue();
    assertThat(accepted.stateOf(after).state()).isEqualTo(SettlementStatus.State.ACCEPTED);
    assertThat(accepted.dueBy()).as("settles by the period at the latest").isPresent();

    hubPayments.settlement().run(true);
    var queued = status.of(user.id()).orElseThrow();
    SettlementStatus.Of pending = queued.stateOf(after);
    assertThat(pending.state()).isEqualTo(SettlementStatus.State.PENDING);
    assertThat(queued.claims()).first().satisfies(c -> {
      assertThat(c.balance()).isEqualTo(COST);
      assertThat(c.hash()).isEqualTo(pending.hash().orElseThrow());
    });

    ledgerValidatesWhatTheHubQueued(hubPayments);
    var done = status.of(user.id()).orElseThrow();
    SettlementStatus.Of settled = done.stateOf(after);
    assertThat(settled.state()).isEqualTo(SettlementStatus.State.SETTLED);
    assertThat(done.settled()).isEqualTo(COST);
    String hash = settled.hash().orElseThrow();
    assertThat(rippled.results).as("the hash is the transaction the ledger validated")
        .containsEntry(hash, "tesSUCCESS");
    assertThat(rippled.channels.get(user.id()).path("Balance").asText()).isEqualTo(String.valueOf(COST));
    assertThat(done.stateOf(after + 1).state()).as("value beyond the settled claim").isEqualTo(
        SettlementStatus.State.ACCEPTED);
    // the wallet reads the hub's JSON with the same rule
    var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("ledger", true)
        .put("settled", COST);
    json.putArray("claims").addObject().put("balance", COST).put("status", "validated").put("hash", hash);
    assertThat(SettlementStatus.fromJson(json).stateOf(after)).isEqualTo(settled);
  }
}
