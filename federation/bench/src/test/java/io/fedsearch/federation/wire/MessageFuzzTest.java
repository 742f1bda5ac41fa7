package io.fedsearch.federation.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.FuzzBudget;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.p2p.Mutator;
import io.fedsearch.federation.payments.payout.PayoutWire;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.privacy.release.InvalidReleaseException;
import io.fedsearch.privacy.release.Mechanism;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignalRow;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.signing.RecordSigner;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The payment and signal messages a peer sends, fuzzed at their decoders: payout envelopes (also re-signed after
 * the mutation, so that the body's checks are reached, not only the signature's), purchase receipts (the answer
 * to a purchase) and signed signal releases. Each input is accepted or refused with the decoder's own exception
 * and a reason; anything else would reach a handler as a crash.
 */
class MessageFuzzTest {
  private static final NodeKey A = NodeKey.generate();
  private static final NodeKey B = NodeKey.generate();

  @Test
  void payoutEnvelopes() {
    Instant now = Instant.now();
    Map<String, Object> body = PayoutWire.body("payout", A.publicKey(), B.publicKey(), now);
    body.put("amount", 12_000L);
    body.put("channel", new byte[32]);
    byte[] valid = PayoutWire.seal(A, body);
    WireFuzz.fuzz(valid, bytes -> PayoutWire.open(bytes, B.publicKey(), now), IllegalArgumentException.class);
    // signed by the sender after the mutation: the envelope checks past the signature are reached
    Random rnd = new Random(5);
    int n = WireFuzz.ROUNDS;
    for (int i = 0; i < n; i++) {
      if (!(WireFuzz.swap(body, rnd) instanceof Map<?, ?> mutated)) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      mutated.forEach((k, v) -> m.put((String) k, v));
      try {
        PayoutWire.open(PayoutWire.seal(A, m), B.publicKey(), now);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).isNotBlank().doesNotContain("cannot be cast");
      }
    }
    FuzzBudget.report("payout envelope (re-signed)", n);
  }

  @Test
  void purchaseReceipts() {
    Receipt r = new Receipt(7, Cid.ofDagCbor(DagCbor.encode(Map.of("t", 1L))), 5_000, "AB".repeat(32), 5_000,
        "00".repeat(16), A.publicKey(), B.publicKey(), Instant.ofEpochMilli(1_800_000_000_000L), new byte[64]);
    byte[] valid = Base64.getUrlDecoder().decode(r.encode());
    WireFuzz.fuzz(valid, bytes -> Receipt.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)),
        IllegalArgumentException.class);
  }

  /**
   * Purchase requests over a real libp2p stream, decoded by the serving side. No purchase service stands behind
   * it (null): a request that decodes cleanly fails there and is answered "malformed" too; what is fuzzed is that
   * every request, however mangled, gets a DAG-CBOR answer naming what is wrong.
   */
  @Test
  void purchaseRequests() throws Exception {
    try (Host server = Host.builder(A).listen("/ip4/127.0.0.1/tcp/0").dht(false).build();
        Host client = Host.builder(B).listen("/ip4/127.0.0.1/tcp/0").dht(false).build()) {
      server.start();
      client.start();
      new PurchaseProtocol(server).serve(null, "rPurchasesGoHere");
      client.dial(server.listenAddresses().get(0));
      RequestResponse rr = new RequestResponse(client);
      Map<String, Object> buy = new LinkedHashMap<>();
      buy.put("v", 1L);
      buy.put("op", "buy");
      buy.put("channel", "AB".repeat(32));
      buy.put("drops", 5_000L);
      buy.put("sig", "00".repeat(64));
      buy.put("cid", Cid.ofDagCbor(DagCbor.encode(Map.of("t", 1L))));
      buy.put("price", 5_000L);
      buy.put("token", "t");
      buy.put("create", null);
      Random rnd = new Random(9);
      int n = FuzzBudget.inputs(1_000);
      for (int i = 0; i < n; i++) {
        byte[] request = DagCbor.encode(WireFuzz.swap(i % 2 == 0 ? buy : Map.of("v", 1L, "op", "address"), rnd));
        byte[] answer = rr.call(server.peerId(), PurchaseProtocol.PROTOCOL, request, PurchaseProtocol.MAX_BYTES,
            Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
        assertThat(DagCbor.decode(answer)).isInstanceOfSatisfying(Map.class, a -> assertThat(
            a.get("address") instanceof String || (a.get("error") instanceof String why && !why.isBlank()))
            .as("answer %s", a).isTrue());
      }
      FuzzBudget.report("purchase request (over libp2p)", n);
    }
  }

  @Test
  void signedSignalReleases() {
    RecordSigner signer = RecordSigner.of(A::sign, A.publicKey().bytes());
    long epoch = 20513;
    int nodes = io.fedsearch.privacy.release.EpochTree.nodes(epoch, 6);
    var config = io.fedsearch.privacy.release.ReleaseConfig.defaults();
    java.util.function.Function<io.fedsearch.privacy.release.Unit, io.fedsearch.privacy.release.UnitParameters> unit =
        u -> io.fedsearch.privacy.release.UnitParameters.of(config.unit(u),
            io.fedsearch.privacy.release.Calibration.of(config.unit(u)), nodes);
    byte[] valid = new SignalRelease(HexFormat.of().formatHex(A.publicKey().bytes()), epoch, 86400, Mechanism.LAPLACE,
        6, io.fedsearch.privacy.release.EpochTree.windowStart(epoch, 6), unit.apply(io.fedsearch.privacy.release.Unit.CID),
        List.of(new SignalRow("bafyaaa", 130, 2_500_000), new SignalRow("bafybbb", 200, -17)),
        unit.apply(io.fedsearch.privacy.release.Unit.CREATOR),
        List.of(new io.fedsearch.privacy.release.CreatorRow(io.fedsearch.privacy.release.CreatorKey.of("Ada"), 40,
            9_000_000))).sign(signer).encode();
    Mutator m = new Mutator(61);
    int n = FuzzBudget.inputs(20_000);
    int refused = 0;
    for (int i = 0; i < n; i++) {
      byte[] input = i % 8 == 0 ? m.randomBytes(300) : m.mutate(valid);
      try {
        SignedRelease.decode(input);
      } catch (InvalidReleaseException e) {
        assertThat(e.getMessage()).isNotBlank();
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(n / 2);
    FuzzBudget.report("signal release", n);
  }
}
