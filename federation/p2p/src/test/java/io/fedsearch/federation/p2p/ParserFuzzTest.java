package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.crypto.NoiseHandshake;
import io.fedsearch.federation.p2p.crypto.NoiseIdentity;
import io.fedsearch.federation.p2p.crypto.PublicKeyProto;
import io.fedsearch.federation.p2p.kad.KadMessage;
import io.fedsearch.federation.p2p.mss.Multistream;
import io.fedsearch.federation.p2p.mux.YamuxFrame;
import io.fedsearch.federation.p2p.protocol.IdentifyMessage;
import io.fedsearch.federation.p2p.wire.LengthPrefixed;
import io.fedsearch.federation.p2p.wire.Uvarint;
import io.fedsearch.federation.p2p.wire.WireException;
import io.fedsearch.core.keys.NodeKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property-style fuzzing of every parser that reads remote bytes: random inputs and mutations of valid encodings
 * must either parse or fail with the parser's checked error — never a runtime exception, never a read beyond the
 * stated bound. Counts are printed and summed for the report.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParserFuzzTest {
  static final int N = FuzzBudget.inputs(20_000);
  static final AtomicLong TOTAL = new AtomicLong();
  static final NodeKey KEY = NodeKey.generate();

  interface Parser {
    void parse(byte[] input) throws Exception;
  }

  /** Runs {@code n} random and mutated inputs; only {@code allowed} exceptions may escape. */
  static void fuzz(String name, long seed, List<byte[]> valid, int maxRandom, Parser p,
      List<Class<? extends Exception>> allowed) {
    fuzz(name, seed, N, valid, maxRandom, p, allowed);
  }

  static void fuzz(String name, long seed, int n, List<byte[]> valid, int maxRandom, Parser p,
      List<Class<? extends Exception>> allowed) {
    Mutator m = new Mutator(seed);
    for (int i = 0; i < n; i++) {
      byte[] input = valid.isEmpty() || i % 4 == 0 ? m.randomBytes(maxRandom)
          : m.mutate(valid.get(m.random().nextInt(valid.size())));
      try {
        p.parse(input);
      } catch (Exception e) {
        if (allowed.stream().noneMatch(c -> c.isInstance(e))) {
          throw new AssertionError(name + ": unexpected " + e + " for input "
              + java.util.HexFormat.of().formatHex(input), e);
        }
      }
    }
    TOTAL.addAndGet(n);
    FuzzBudget.report(name, n);
  }

  @AfterAll
  static void report() {
    System.out.println("fuzz total: " + TOTAL.get() + " parser inputs");
  }

  @Test
  void varintsAndLengthPrefixes() {
    fuzz("uvarint", 1, List.of(new byte[] {(byte) 0x80, 1}, new byte[] {(byte) 0xFF, (byte) 0xFF, 3}), 12, in -> {
      long v = Uvarint.read(new ByteArrayInputStream(in), 1 << 20);
      assertThat(v).isBetween(-1L, (long) (1 << 20));
    }, List.of(IOException.class));
    fuzz("length-prefixed", 2, List.of(LengthPrefixed.frame(new byte[300])), 400, in -> {
      byte[] msg = LengthPrefixed.read(new ByteArrayInputStream(in), 256);
      assertThat(msg == null || msg.length <= 256).isTrue();
    }, List.of(IOException.class));
  }

  @Test
  void multistreamAndYamuxHeaders() {
    ByteArrayOutputStream mss = new ByteArrayOutputStream();
    mss.writeBytes(LengthPrefixed.frame("/multistream/1.0.0\n".getBytes()));
    mss.writeBytes(LengthPrefixed.frame("/noise\n".getBytes()));
    fuzz("multistream", 3, List.of(mss.toByteArray()), 64, in -> {
      Multistream.handle(new ByteArrayInputStream(in), OutputStream.nullOutputStream(), "/noise"::equals,
          List.of("/noise"));
    }, List.of(IOException.class));
    fuzz("yamux-header", 4, List.of(new YamuxFrame(YamuxFrame.DATA, YamuxFrame.SYN, 1, 10).encode()), 12, in -> {
      if (in.length == YamuxFrame.HEADER) {
        YamuxFrame f = YamuxFrame.decode(in);
        assertThat(f.length()).isBetween(0L, 0xFFFFFFFFL);
        assertThat(f.type()).isBetween(0, 3);
      }
    }, List.of(WireException.class));
  }

  @Test
  void protobufMessages() {
    PeerId peer = PeerId.of(KEY.publicKey());
    Multiaddr addr = Multiaddr.parse("/ip4/10.1.2.3/tcp/4001");
    KadMessage kad = new KadMessage(KadMessage.GET_PROVIDERS, new byte[34],
        new KadMessage.Record(new byte[] {1}, new byte[] {2, 3}, "2026-01-01T00:00:00Z"),
        List.of(new KadMessage.Peer(peer, List.of(addr))), List.of(new KadMessage.Peer(peer, List.of(addr))));
    fuzz("kad-message", 5, List.of(kad.encode(), KadMessage.request(KadMessage.FIND_NODE, peer.bytes()).encode()),
        300, in -> {
          KadMessage.decode(in);
        }, List.of(WireException.class));
    IdentifyMessage id = new IdentifyMessage(PublicKeyProto.encode(KEY.publicKey()), List.of(addr),
        List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"), addr.withPeerId(peer), "ipfs/0.1.0", "fuzz/1");
    fuzz("identify", 6, List.of(id.encode()), 300, in -> {
      IdentifyMessage.decode(in);
    }, List.of(WireException.class));
    fuzz("public-key", 7, List.of(PublicKeyProto.encode(KEY.publicKey())), 60, in -> {
      PublicKeyProto.decode(in);
    }, List.of(WireException.class));
    fuzz("multiaddr", 8, List.of(addr.withPeerId(peer).bytes(), Multiaddr.parse("/dns4/a.b/tcp/1").bytes(),
        Multiaddr.parse("/ip6/::1/tcp/2").bytes()), 60, in -> {
          Multiaddr a = Multiaddr.fromBytes(in);
          assertThat(Multiaddr.fromBytes(a.bytes())).isEqualTo(a);
        }, List.of(IllegalArgumentException.class));
    fuzz("peer-id", 9, List.of(peer.bytes()), 60, in -> {
      PeerId.fromBytes(in).publicKey();
    }, List.of(IllegalArgumentException.class));
  }

  @Test
  void noiseHandshakeMessages() throws Exception {
    NoiseIdentity responder = new NoiseIdentity(KEY);
    // a plausible transcript shape: msg1 (32-byte e), then a msg3-sized frame
    byte[] transcript = new byte[2 + 32 + 2 + 48 + 120];
    transcript[1] = 32;
    transcript[35] = (byte) (48 + 120);
    for (int i = 2; i < 34; i++) {
      transcript[i] = (byte) (i * 7 + 9);
    }
    // each input costs an X25519 key generation, so fewer of them
    fuzz("noise-responder", 11, FuzzBudget.inputs(2_000), List.of(transcript), 256, in -> {
      NoiseHandshake.respond(new ByteArrayInputStream(in), OutputStream.nullOutputStream(), responder, true);
    }, List.of(IOException.class));
    byte[] msg2 = new byte[2 + 32 + 48 + 136];
    msg2[0] = 0;
    msg2[1] = (byte) (32 + 48 + 136);
    fuzz("noise-initiator", 12, FuzzBudget.inputs(2_000), List.of(msg2), 256, in -> {
      NoiseHandshake.initiate(new ByteArrayInputStream(in), OutputStream.nullOutputStream(), responder, false,
          null);
    }, List.of(IOException.class));
  }
}
