package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.Netting;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * Netting between two nodes over the payout protocol (libp2p) when messages are lost and the retry comes long
 * after the freshness window: it completes, and the offset is recorded on both sides or on neither.
 */
@Timeout(120)
class NettingRetryTest {
  static final XrplJsAudit AUDIT = new XrplJsAudit();

  @AfterAll
  static void xrplJsVerifiesEverythingProduced() throws Exception {
    AUDIT.verify(1);
  }

  @TempDir Path dir;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  P2pPayments fed;
  Payments a;
  Payments b;
  NodeKey keyA;
  NodeKey keyB;
  int seq = 1;

  @BeforeEach
  void start() throws Exception {
    fed = new P2pPayments(dir, 2, PaymentsConfig.defaults().withDiscoveryShareBps(1000)
        .withPayoutBatching(1_000_000_000, Duration.ofDays(30)), clock);
    a = fed.nodes.get(0);
    b = fed.nodes.get(1);
    keyA = fed.keys.get(0);
    keyB = fed.keys.get(1);
  }

  @AfterEach
  void stop() {
    fed.nodes.forEach(AUDIT::collect);
    fed.close();
  }

  /** A buyer buys a work for {@code price} on node {@code platform}, found through node {@code server}. */
  void sale(int platform, NodeKey server, long price) throws Exception {
    Cid work = Cid.ofDagCbor(DagCbor.encode(Map.of("title", "work " + seq)));
    fed.list(platform, work, price);
    UserChannel ch = UserChannel.open(XrplAccountKey.generate(KeyType.ED25519),
        fed.nodes.get(platform).account().address().value(), 10 * price, 86_400, Optional.empty(), seq++, 12);
    fed.buy(platform, ch.pay(price), work, price,
        AttributionToken.issue(server, work, "q", clock.instant().minusSeconds(30), Duration.ofHours(1)).encode(),
        Optional.of(ch.createBlob()));
  }

  long due(Payments from, NodeKey to) {
    return from.fees().of(to.publicKey()).map(FeeBook.Owed::due).orElse(0L);
  }

  @Test
  void aConfirmResentAfterTheSkewWindowCompletes() throws Exception {
    sale(0, keyB, 80_000); // A owes B 8,000
    sale(1, keyA, 30_000); // B owes A 3,000
    fed.loseResponseAfter.set(1); // the proposal goes through; B records the confirm, its acknowledgement is lost
    assertThatThrownBy(() -> a.payouts().net(keyB.publicKey())).hasMessageContaining("response lost");
    assertThat(b.netting().history()).hasSize(1);
    assertThat(a.netting().history()).isEmpty();

    clock.advance(Duration.ofHours(3)); // A retries much later than the five minutes a message stays fresh
    Netting.Result r = a.payouts().net(keyB.publicKey());
    assertThat(r.offset()).isEqualTo(3_000);
    assertThat(a.netting().history()).singleElement().satisfies(h -> assertThat(h.offset()).isEqualTo(3_000));
    assertThat(b.netting().history()).hasSize(1);
    assertThat(due(a, keyB)).isEqualTo(5_000);
    assertThat(due(b, keyA)).isZero();
  }

  @Test
  void aConfirmThatNeverArrivedIsRefusedOnceStaleAndNothingIsOffset() throws Exception {
    sale(0, keyB, 80_000);
    sale(1, keyA, 30_000);
    fed.loseRequestAfter.set(1); // the proposal goes through; the confirm is lost before B sees it
    assertThatThrownBy(() -> a.payouts().net(keyB.publicKey())).hasMessageContaining("request lost");
    clock.advance(Duration.ofHours(3));
    // B never recorded the stale statement and refuses it: neither side offsets; A forgets it.
    assertThatThrownBy(() -> a.payouts().net(keyB.publicKey())).hasMessageContaining("did not record the offset")
        .hasMessageContaining("propose again");
    assertThat(a.netting().history()).isEmpty();
    assertThat(b.netting().history()).isEmpty();
    assertThat(due(a, keyB)).isEqualTo(8_000);
    assertThat(due(b, keyA)).isEqualTo(3_000);
    // and the next round nets afresh
    assertThat(a.payouts().net(keyB.publicKey()).offset()).isEqualTo(3_000);
    assertThat(due(a, keyB)).isEqualTo(5_000);
    assertThat(due(b, keyA)).isZero();
  }

  @Test
  void anErrorAboutAStaleMessageIsAddressedToItsSender() throws Exception {
    Map<String, Object> stale = io.fedsearch.federation.payments.payout.PayoutWire.body("address_request",
        keyA.publicKey(), keyB.publicKey(), clock.instant().minus(Duration.ofHours(1)));
    byte[] answer = fed.exchange(0, 1, io.fedsearch.federation.payments.payout.PayoutWire.seal(keyA, stale));
    io.fedsearch.federation.payments.payout.PayoutWire.Envelope err =
        io.fedsearch.federation.payments.payout.PayoutWire.open(answer, keyA.publicKey(), clock.instant());
    assertThat(err.type()).isEqualTo("error");
    assertThat(err.from()).isEqualTo(keyB.publicKey());
    assertThat(err.text("message")).contains("more than PT5M from ours");
  }
}
