package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.federation.p2p.mss.Multistream;
import io.fedsearch.federation.p2p.mux.YamuxFrame;
import io.fedsearch.federation.p2p.mux.YamuxSession;
import io.fedsearch.federation.p2p.protocol.Ping;
import io.fedsearch.core.keys.NodeKey;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19 item 1, over real sockets: a peer that makes the host write and then stops reading must not freeze the
 * host's timers (handshake deadlines, keepalive) nor keep its connection forever.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StalledPeerTest {
  private final List<Host> hosts = new ArrayList<>();

  Host host(Limits limits) throws IOException {
    Host h = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).limits(limits).build();
    h.start();
    hosts.add(h);
    return h;
  }

  @AfterEach
  void stop() {
    hosts.forEach(Host::stop);
  }

  /** Ping streams full of data the attacker never reads back: the host's echoes fill the socket and block. */
  static void floodPingsWithoutReading(RawClient c, int streams) throws IOException {
    byte[] mss = Multistream.proposalWith(Ping.PROTOCOL, new byte[0]);
    byte[] pings = new byte[200 * 1024]; // within the 256 KiB window: the host must accept all of it
    for (int i = 0; i < streams; i++) {
      int id = 1 + 2 * i;
      c.frame(YamuxFrame.DATA, YamuxFrame.SYN, id, mss.length, mss);
      for (int off = 0; off < pings.length; off += 32 * 1024) {
        byte[] chunk = java.util.Arrays.copyOfRange(pings, off, Math.min(pings.length, off + 32 * 1024));
        c.frame(YamuxFrame.DATA, 0, id, chunk.length, chunk);
      }
    }
  }

  @Test
  void aPeerThatStopsReadingIsCutAndDeadlinesStillFire() throws Exception {
    // the first keepalive ping falls after the host's writes have backed up: it must not block the timer
    Host h = host(Limits.defaults().withKeepaliveInterval(Duration.ofSeconds(2))
        .withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(1500), Duration.ofSeconds(10))
        .withWriteTimeout(Duration.ofSeconds(2)));
    Multiaddr addr = h.listenAddresses().get(0);
    RawClient attacker = new RawClient(addr, null, 4096).secure();
    attacker.frame(YamuxFrame.PING, YamuxFrame.ACK, 0, 0, null); // answers the host's first ping blindly (value 0)
    Thread flood = Thread.ofVirtual().start(() -> {
      try {
        floodPingsWithoutReading(attacker, 64);
      } catch (IOException e) {
        // the host cut us off: that is the point
      }
    });
    try {
      // the host's echoes back up once the attacker's small receive buffer and the host's send buffer are full
      Thread.sleep(1500);
      // a handshake that drips bytes must still be cut at its deadline (the deadline runs on the host's timer)
      try (RawClient dripper = new RawClient(addr)) {
        byte[] header = LimitsTest.LengthPrefixedHeader.BYTES;
        long t0 = System.nanoTime();
        boolean cut = false;
        for (int i = 0; i < header.length * 4 && !cut; i++) {
          try {
            dripper.out.write(header[i % header.length]);
            dripper.out.flush();
            Thread.sleep(200);
          } catch (IOException e) {
            cut = true;
          }
        }
        dripper.socket.setSoTimeout(3000);
        assertThat(cut || dripper.closedByServer()).as("drip handshake cut").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
      }
      // the connection whose writes stall is closed within the write timeout (plus polling slack)
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
          assertThat(h.allConnections()).as("stalled connection closed").isEmpty());
      // and the host still serves a good peer
      Host probe = host(Limits.defaults());
      assertThat(Ping.ping(probe.dial(addr), 1, Duration.ofSeconds(5))).hasSize(1);
    } finally {
      attacker.close();
      flood.join(10_000);
    }
  }

  @Test
  void aPeerThatFloodsPingsWithoutReadingOwesAtMostOneAckAndIsCut() throws Exception {
    Host h = host(Limits.defaults().withKeepaliveInterval(Duration.ofSeconds(2))
        .withWriteTimeout(Duration.ofSeconds(2)));
    Multiaddr addr = h.listenAddresses().get(0);
    RawClient attacker = new RawClient(addr, null, 4096).secure();
    attacker.frame(YamuxFrame.PING, YamuxFrame.ACK, 0, 0, null);
    byte[] batch = new byte[YamuxFrame.HEADER * 4096]; // 4096 ping SYNs per noise message
    for (int i = 0; i < 4096; i++) {
      System.arraycopy(new YamuxFrame(YamuxFrame.PING, YamuxFrame.SYN, 0, i).encode(), 0, batch,
          i * YamuxFrame.HEADER, YamuxFrame.HEADER);
    }
    Thread flood = Thread.ofVirtual().start(() -> {
      try {
        for (int i = 0; i < 200; i++) { // 819,200 pings: each answered at once, they would fill any buffer
          attacker.channel.write(batch);
        }
      } catch (IOException e) {
        // cut off
      }
    });
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
          assertThat(h.allConnections()).as("flooding connection closed").isEmpty());
      Host probe = host(Limits.defaults());
      assertThat(Ping.ping(probe.dial(addr), 1, Duration.ofSeconds(5))).hasSize(1);
    } finally {
      attacker.close();
      flood.join(10_000);
    }
  }

  @Test
  void aPingFloodIsCutWithAProtocolError() throws Exception {
    Host h = host(Limits.defaults());
    try (RawClient attacker = new RawClient(h.listenAddresses().get(0)).secure()) {
      byte[] batch = new byte[YamuxFrame.HEADER * 1000];
      for (int i = 0; i < 1000; i++) {
        System.arraycopy(new YamuxFrame(YamuxFrame.PING, YamuxFrame.SYN, 0, i).encode(), 0, batch,
            i * YamuxFrame.HEADER, YamuxFrame.HEADER);
      }
      attacker.channel.write(batch); // 1000 pings at once: far beyond any keepalive
      YamuxFrame goAway = attacker.awaitGoAway();
      assertThat(goAway).isNotNull();
      assertThat(goAway.length()).as("GoAway code: protocol error").isEqualTo(1);
    }
  }

  @Test
  void aFloodOfFramesThatChangeNothingIsCut() throws Exception {
    Host h = host(Limits.defaults());
    try (RawClient attacker = new RawClient(h.listenAddresses().get(0)).secure()) {
      int n = 3 * YamuxSession.MAX_IDLE_FRAMES_PER_SECOND;
      byte[] batch = new byte[YamuxFrame.HEADER * n];
      for (int i = 0; i < n; i++) { // empty window updates and RSTs for streams never opened
        byte[] f = i % 2 == 0 ? new YamuxFrame(YamuxFrame.WINDOW_UPDATE, 0, 1, 0).encode()
            : new YamuxFrame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.RST, 1001 + 2 * i, 0).encode();
        System.arraycopy(f, 0, batch, i * YamuxFrame.HEADER, YamuxFrame.HEADER);
      }
      boolean cutWhileWriting = false;
      try {
        attacker.channel.write(batch);
      } catch (IOException e) {
        cutWhileWriting = true; // the host closed the connection before the whole flood was written (broken pipe)
      }
      YamuxFrame goAway;
      try {
        goAway = attacker.awaitGoAway();
      } catch (IOException e) {
        goAway = null; // reset before the GoAway could be read: only possible when the write was cut
      }
      if (!cutWhileWriting || goAway != null) {
        assertThat(goAway).as("the host says why it cuts the connection").isNotNull();
        assertThat(goAway.length()).as("GoAway code: protocol error").isEqualTo(1);
      }
      // Either way the host dropped the flooding connection and stays up for others.
      await().atMost(Duration.ofSeconds(10)).until(() -> h.allConnections().isEmpty());
      try (RawClient other = new RawClient(h.listenAddresses().get(0)).secure()) {
        assertThat(other.channel).isNotNull();
      }
    }
  }
}
