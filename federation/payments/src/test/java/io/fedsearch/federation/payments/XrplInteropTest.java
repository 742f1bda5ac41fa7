package io.fedsearch.federation.payments;

import io.fedsearch.core.time.SimClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.payments.channel.ChannelId;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.ClaimVerifier;
import io.fedsearch.federation.payments.channel.SignedTransactions;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.payer.PayerChannels;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import org.xrpl.xrpl4j.codec.addresses.UnsignedByteArray;
import org.xrpl.xrpl4j.crypto.signing.SignatureUtils;
import org.xrpl.xrpl4j.model.client.channels.UnsignedClaim;
import org.xrpl.xrpl4j.model.transactions.Hash256;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelCreate;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * xrpl.js 5.3.0 independently checks, for ed25519 and secp256k1 accounts: every claim signature we produce, every
 * signed transaction in the outbox (create, fund, close, settlement claim), and our channel ids. One node process
 * for the whole class.
 */
@Timeout(180)
class XrplInteropTest {
  @TempDir static Path dir;
  static final List<Map<String, Object>> requests = new ArrayList<>();
  static final List<String> labels = new ArrayList<>();
  static List<JsonNode> results;
  static final List<Payments> opened = new ArrayList<>();

  static void check(String label, Map<String, Object> request) {
    labels.add(label);
    requests.add(request);
  }

  @BeforeAll
  static void produceAndVerify() throws Exception {
    SimClock clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
    for (KeyType type : List.of(KeyType.ED25519, KeyType.SECP256K1)) {
      PaymentsConfig cfg = PaymentsConfig.defaults().withKeyType(type)
          .withSettlement(1, Duration.ofHours(6), Duration.ofHours(24));
      Payments platform = Payments.open(dir.resolve("platform-" + type), NodeKey.generate(), cfg,
          PayoutTransport.unavailable(), clock);
      Payments node = Payments.open(dir.resolve("node-" + type), NodeKey.generate(), cfg,
          PayoutTransport.unavailable(), clock);
      opened.add(platform);
      opened.add(node);
      // A user's channel to the platform: create, claims (payee accepts them), settlement claim.
      XrplAccountKey user = XrplAccountKey.generate(type);
      UserChannel ch = UserChannel.open(user, platform.account().address().value(), 50_000_000, 86_400,
          Optional.of(Instant.parse("2026-06-01T00:00:00Z")), 7, 12);
      check(type + " user create", XrplJs.tx(ch.createBlob()));
      check(type + " channel id", XrplJs.channelId(user.address().value(), platform.account().address().value(), 7));
      platform.payee().learnChannel(ch.createBlob(), null);
      for (long d : new long[] {1, 999_999, 1_000_000, 7_654_321}) {
        Claim c = ch.pay(d);
        platform.payee().accept(c);
        check(type + " claim " + c.drops(), XrplJs.claim(c.channel(), c.drops(), c.signature(),
            user.publicKey().base16Value()));
      }
      platform.settlement().run();
      // The platform pays a node: create, claims, fund, close from PayerChannels; all in the outbox.
      PayerChannels.Opened out = platform.payer().open(node.account().address().value(), 2_000_000, 3600,
          Optional.empty(), "peer");
      check(type + " payer channel id", XrplJs.channelId(platform.account().address().value(),
          node.account().address().value(), sequenceOf(out.createBlob())));
      node.payee().learnChannel(out.createBlob(), "peer");
      Claim pc = platform.payer().authorise(out.terms().id(), 1_500_000);
      node.payee().accept(pc);
      check(type + " payout claim", XrplJs.claim(pc.channel(), pc.drops(), pc.signature(),
          platform.account().publicKey().base16Value()));
      platform.payer().fundNow(out.terms().id(), 3_000_000, "test");
      clock.advance(Duration.ofDays(8));
      platform.payer().maintain(); // idle > 7 days: close
      node.settlement().run(true);
      for (Payments p : List.of(platform, node)) {
        for (Outbox.Entry e : p.outbox().list()) {
          check(type + " outbox " + e.kind() + " " + e.hash(), XrplJs.tx(e.blob()));
        }
      }
    }
    results = XrplJs.run(requests);
  }

  static long sequenceOf(String blob) {
    return SignedTransactions.decode(blob, PaymentChannelCreate.class).sequence().longValue();
  }

  @AfterAll
  static void close() {
    opened.forEach(Payments::close);
  }

  @Test
  void xrplJsAcceptsEveryClaimAndTransaction() {
    int claims = 0;
    int txs = 0;
    for (int i = 0; i < results.size(); i++) {
      Map<String, Object> req = requests.get(i);
      JsonNode r = results.get(i);
      if ("claim".equals(req.get("kind"))) {
        assertThat(r.path("ok").asBoolean()).as(labels.get(i) + " " + r).isTrue();
        claims++;
      } else if ("tx".equals(req.get("kind"))) {
        assertThat(r.path("ok").asBoolean()).as(labels.get(i) + " " + r).isTrue();
        assertThat(r.path("hash").asText()).isEqualTo(SignedTransactions.hash((String) req.get("blob")));
        txs++;
      }
    }
    // per key type: 5 claims; user create + platform outbox (settle claim, create, fund, close) + node settle claim
    assertThat(claims).isEqualTo(10);
    assertThat(txs).isEqualTo(12);
    assertThat(labels).anyMatch(l -> l.contains("SECP256K1 outbox close"));
    assertThat(labels).anyMatch(l -> l.contains("ED25519 outbox claim"));
  }

  @Test
  void channelIdsMatchXrplJs() throws Exception {
    int n = 0;
    for (int i = 0; i < results.size(); i++) {
      Map<String, Object> req = requests.get(i);
      if ("channel_id".equals(req.get("kind"))) {
        String ours = ChannelId.of(org.xrpl.xrpl4j.model.transactions.Address.of((String) req.get("source")),
            org.xrpl.xrpl4j.model.transactions.Address.of((String) req.get("destination")),
            ((Number) req.get("sequence")).longValue());
        assertThat(results.get(i).path("id").asText()).as(labels.get(i)).isEqualTo(ours);
        n++;
      }
    }
    assertThat(n).isEqualTo(4);
  }

  @Test
  void claimBytesAreTheLedgersClmMessage() {
    String id = "A".repeat(64);
    UnsignedByteArray bytes = SignatureUtils.getInstance().toSignableBytes(
        UnsignedClaim.builder().channel(Hash256.of(id)).amount(XrpCurrencyAmount.ofDrops(258)).build());
    assertThat(bytes.hexValue().toUpperCase()).isEqualTo("434C4D00" + id + "0000000000000102");
    assertThat(bytes.toByteArray()).isEqualTo(ClaimVerifier.claimMessage(id, 258));
  }

  @Test
  void tamperedAndHighSSignaturesAreRejected() {
    for (KeyType type : List.of(KeyType.ED25519, KeyType.SECP256K1)) {
      XrplAccountKey k = XrplAccountKey.generate(type);
      String id = "B".repeat(64);
      String sig = k.signClaim(id, 1000);
      assertThat(ClaimVerifier.verifies(new Claim(id, 1000, sig), k.publicKey())).isTrue();
      assertThat(ClaimVerifier.verifiesViaXrpl4j(new Claim(id, 1000, sig), k.publicKey())).isTrue();
      assertThat(ClaimVerifier.verifies(new Claim(id, 1001, sig), k.publicKey())).isFalse();
      assertThat(ClaimVerifier.verifiesViaXrpl4j(new Claim(id, 1001, sig), k.publicKey())).isFalse();
      assertThat(ClaimVerifier.verifies(new Claim(id, 1000, sig), XrplAccountKey.generate(type).publicKey()))
          .isFalse();
      byte[] raw = HexFormat.of().parseHex(sig);
      raw[raw.length - 1] ^= 1;
      assertThat(ClaimVerifier.verifies(new Claim(id, 1000, HexFormat.of().formatHex(raw)), k.publicKey()))
          .isFalse();
      if (type == KeyType.SECP256K1) {
        assertThat(ClaimVerifier.verifies(new Claim(id, 1000, HighS.flip(sig)), k.publicKey())).isFalse();
      }
    }
  }
}
