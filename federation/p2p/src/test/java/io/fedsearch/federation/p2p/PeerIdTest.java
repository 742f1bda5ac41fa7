package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.core.keys.NodeKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PeerIdTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final NodeKey VECTOR_KEY =
      NodeKey.fromSeed(HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

  @Test
  void matchesTheJsLibp2pTestVector() {
    PeerId id = PeerId.of(VECTOR_KEY.publicKey());
    assertThat(VECTOR_KEY.publicKey().hex())
        .isEqualTo("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
    assertThat(HEX.formatHex(id.bytes()))
        .isEqualTo("00240801122003a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
    assertThat(id.toString()).isEqualTo("12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB");
    assertThat(PeerId.parse("bafzaajaiaejcaa5ba677htqqxyoxbxiy45f4bglh4tldbg5fbvpr3xegmqjfkmny")).isEqualTo(id);
    assertThat(PeerId.parse(id.toString()).publicKey()).contains(VECTOR_KEY.publicKey());
    assertThat(HEX.formatHex(VECTOR_KEY.sign("hello".getBytes(StandardCharsets.UTF_8)))).isEqualTo(
        "e1a7fca94a835127885b99e2eba733d6ee5bf5dc463ed8385eb6f1dcaa1117c0"
            + "f151750a10f46f5b3796a91203578f702c85c67c334b5689a516284d499f710f");
  }

  @Test
  void rejectsMalformedIds() {
    assertThatThrownBy(() -> PeerId.parse("12D3KooW0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {0x12, 5, 1, 2})).hasMessageContaining("multihash");
    assertThatThrownBy(() -> PeerId.parse("")).hasMessageContaining("empty");
  }

  @Test
  void multiaddrRoundTripsTextAndBinary() {
    String text = "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB";
    Multiaddr a = Multiaddr.parse(text);
    assertThat(a.toString()).isEqualTo(text);
    assertThat(HEX.formatHex(a.bytes())).startsWith("047f000001060fa1a503260024080112");
    assertThat(Multiaddr.fromBytes(a.bytes())).isEqualTo(a);
    assertThat(a.peerId()).contains(PeerId.parse("12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB"));
    for (String s : new String[] {"/ip6/::1/tcp/1", "/dns4/example.org/tcp/443", "/ip6/2001:db8::2/tcp/9"}) {
      Multiaddr m = Multiaddr.parse(s);
      assertThat(Multiaddr.fromBytes(m.bytes()).toString()).isEqualTo(s);
    }
    assertThat(Multiaddr.fromBytes(Multiaddr.parse("/ip6/::1/tcp/1").bytes()).bytes()[0]).isEqualTo((byte) 0x29);
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/300.1.1.1/tcp/1")).hasMessageContaining("ip4");
    assertThatThrownBy(() -> Multiaddr.parse("/quic/1")).hasMessageContaining("unsupported multiaddr protocol");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/tcp/70000")).hasMessageContaining("port");
    assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[] {4, 1, 2})).hasMessageContaining("truncated");
  }
}
