package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.federation.p2p.mux.YamuxFrame;
import io.fedsearch.federation.p2p.protocol.Ping;
import io.fedsearch.core.keys.NodeKey;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile or excessive input closes that stream or connection; the host keeps serving. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitsTest {
  private final List<Host> hosts = new ArrayList<>();

  Host host(Limits limits) throws IOException {
    Host h = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).limits(limits).build();
    h.addProtocolHandler("/hold/1", s -> s.in().readAllBytes());
    h.start();
    hosts.add(h);
    return h;
  }

  @AfterEach
  void stop() {
    hosts.forEach(Host::stop);
  }

  void stillServes(Host h) throws IOException {
    Host probe = host(Limits.defaults());
    assertThat(Ping.ping(probe.dial(h.listenAddresses().get(0)), 1, Duration.ofSeconds(5))).hasSize(1);
  }

  @Test
  void garbageAndOversizedNegotiationCloseTheConnection() throws Exception {
    Host h = host(Limits.defaults());
    Multiaddr addr = h.listenAddresses().get(0);
    try (RawClient c = new RawClient(addr)) {
      byte[] junk = new byte[64];
      new Random(3).nextBytes(junk);
      junk[0] = 0x13; // plausible length, then nonsense
      c.out.write(junk);
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawClient c = new RawClient(addr)) {
      c.out.write(new byte[] {(byte) 0x88, 0x27}); // a 5000-byte multistream message
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawClient c = new RawClient(addr)) {
      io.fedsearch.federation.p2p.mss.Multistream.select(c.in, c.out, "/noise");
      byte[] msg1 = new byte[34];
      msg1[1] = 32;
      c.out.write(msg1); // msg1 = an all-zero ephemeral key, a low-order point
      assertThat(c.closedByServer()).isTrue();
    }
    stillServes(h);
  }

  @Test
  void yamuxViolationsEndTheSessionWithGoAwayProtocolError() throws Exception {
    Host h = host(Limits.defaults());
    Multiaddr addr = h.listenAddresses().get(0);
    try (RawClient c = new RawClient(addr).secure()) {
      c.frame(YamuxFrame.DATA, YamuxFrame.SYN, 1, 300 * 1024, new byte[300 * 1024]); // beyond the 256 KiB window
      assertThat(c.awaitGoAway().length()).isEqualTo(1);
    }
    try (RawClient c = new RawClient(addr).secure()) {
      c.frame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.SYN, 2, 0, null); // the server's parity: both sides clients?
      assertThat(c.awaitGoAway().length()).isEqualTo(1);
    }
    try (RawClient c = new RawClient(addr).secure()) {
      c.frame(YamuxFrame.DATA, 0, 0, 4, new byte[4]); // data on the session stream
      assertThat(c.awaitGoAway().length()).isEqualTo(1);
    }
    try (RawClient c = new RawClient(addr).secure()) {
      c.channel.write(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}); // version 1
      assertThat(c.awaitGoAway().length()).isEqualTo(1);
    }
    try (RawClient c = new RawClient(addr).secure()) {
      c.frame(YamuxFrame.PING, YamuxFrame.SYN, 0, 77, null); // a correct ping is answered and the session lives
      assertThat(c.awaitPingAck()).isEqualTo(77);
      c.socket.setSoTimeout(1000);
      assertThat(c.closedByServer()).isFalse();
      c.frame(YamuxFrame.GO_AWAY, 0, 0, 0, null); // a normal GoAway ends it gracefully
      c.socket.setSoTimeout(5000);
      assertThat(c.closedByServer()).isTrue();
    }
    stillServes(h);
  }

  @Test
  void streamsBeyondTheLimitAreReset() throws Exception {
    Host h = host(Limits.defaults().withMaxStreamsPerConnection(4));
    Host client = host(Limits.defaults());
    Connection c = client.dial(h.listenAddresses().get(0));
    List<Stream> held = new ArrayList<>();
    IOException refused = null;
    for (int i = 0; i < 10 && refused == null; i++) { // identify streams may hold a slot or two meanwhile
      try {
        held.add(c.newStream("/hold/1"));
      } catch (IOException e) {
        refused = e;
      }
    }
    assertThat(refused).hasMessageContaining("reset");
    assertThat(held).hasSizeBetween(1, 4);
    held.get(0).closeWrite();
    held.get(0).in().readAllBytes(); // both sides closed: the slot is free again
    Stream again = await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).ignoreException(IOException.class)
        .until(() -> c.newStream("/hold/1"), java.util.Objects::nonNull);
    assertThat(again).isNotNull();
  }

  @Test
  void inboundConnectionsArePerIpRateLimited() throws Exception {
    Host h = host(Limits.defaults().withInboundPerIpPerSecond(3));
    int refused = 0;
    List<RawClient> clients = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      clients.add(new RawClient(h.listenAddresses().get(0)));
    }
    for (RawClient c : clients) {
      c.socket.setSoTimeout(2000);
      try {
        if (c.in.read() < 0) {
          refused++; // closed before the multistream header
        }
      } catch (IOException e) {
        refused++;
      }
      c.close();
    }
    assertThat(refused).isGreaterThanOrEqualTo(6);
    Thread.sleep(1100);
    stillServes(h);
  }

  @Test
  void aPeerThatDripsBytesIsCutOffAtTheHandshakeDeadline() throws Exception {
    Host h = host(Limits.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(800),
        Duration.ofSeconds(10)));
    try (RawClient c = new RawClient(h.listenAddresses().get(0))) {
      byte[] header = LengthPrefixedHeader.BYTES;
      long t0 = System.nanoTime();
      boolean cut = false;
      for (int i = 0; i < header.length && !cut; i++) {
        try {
          c.out.write(header[i]); // each byte well inside the per-read timeout
          c.out.flush();
          Thread.sleep(200);
        } catch (IOException e) {
          cut = true;
        }
      }
      c.socket.setSoTimeout(3000);
      assertThat(cut || c.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    }
    stillServes(h);
  }

  @Test
  void aPeerThatStopsAnsweringKeepalivesIsDropped() throws Exception {
    Host h = host(Limits.defaults().withKeepaliveInterval(Duration.ofMillis(300)));
    try (RawClient c = new RawClient(h.listenAddresses().get(0)).secure()) { // never answers pings
      c.socket.setSoTimeout(5000);
      long t0 = System.nanoTime();
      assertThat(c.awaitGoAway()).isNotNull();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertThat(h.allConnections()).isEmpty());
  }

  /** The multistream header as sent on the wire. */
  static final class LengthPrefixedHeader {
    static final byte[] BYTES = io.fedsearch.federation.p2p.wire.LengthPrefixed.frame(
        "/multistream/1.0.0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
