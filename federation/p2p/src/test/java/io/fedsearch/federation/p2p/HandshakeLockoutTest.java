package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.core.keys.NodeKey;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19 item 2, over real sockets: one address opening handshakes it never finishes must not lock every other
 * peer out, and a silent handshake is cut well before the whole-handshake deadline.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeLockoutTest {
  private final List<Host> hosts = new ArrayList<>();
  private final List<RawClient> clients = new ArrayList<>();

  Host host(Limits limits) throws IOException {
    Host h = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).limits(limits).build();
    h.start();
    hosts.add(h);
    return h;
  }

  @AfterEach
  void stop() throws IOException {
    for (RawClient c : clients) {
      c.close();
    }
    hosts.forEach(Host::stop);
  }

  @Test
  void oneAddressWithStalledHandshakesCannotLockOutOthers() throws Exception {
    // no rate limit in the way: only the pending-handshake caps decide
    Host h = host(Limits.defaults().withInboundPerIpPerSecond(10_000));
    Multiaddr addr = h.listenAddresses().get(0);
    InetAddress attacker = InetAddress.getByName("127.0.0.1");
    for (int i = 0; i < 40; i++) {
      clients.add(new RawClient(addr, attacker, 0)); // connects, then says nothing
    }
    Thread.sleep(500); // let the host accept them all
    InetAddress other = InetAddress.getByName("127.0.0.2"); // another remote address on loopback
    for (int i = 0; i < 3; i++) {
      try (RawClient good = new RawClient(addr, other, 0)) {
        good.secure(); // the whole upgrade: only an admitted connection gets through it
      }
    }
  }

  @Test
  void aSilentHandshakeIsCutEarly() throws Exception {
    Host h = host(Limits.defaults()); // whole-handshake deadline 10 s
    try (RawClient silent = new RawClient(h.listenAddresses().get(0))) {
      long t0 = System.nanoTime();
      silent.socket.setSoTimeout(15_000);
      assertThat(silent.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
    }
  }

  @Test
  void ipv6PeersShareOneAllowancePerSlash64() throws Exception {
    InboundGate gate = new InboundGate(Limits.defaults().withInboundPerIpPerSecond(10_000));
    int admitted = 0;
    for (int i = 1; i <= 40; i++) { // 40 addresses of one /64: one host's worth of allowance
      if (gate.admit(InetAddress.getByName("2001:db8:0:1::" + Integer.toHexString(i))) == null) {
        admitted++;
      }
    }
    assertThat(admitted).isEqualTo(Limits.defaults().maxPendingUpgrades() / InboundGate.PER_IP_SHARE);
    assertThat(gate.admit(InetAddress.getByName("2001:db8:0:2::1"))).isNull(); // the next /64 is another peer
  }
}
