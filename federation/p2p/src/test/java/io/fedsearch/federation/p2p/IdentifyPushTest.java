package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.federation.p2p.crypto.PublicKeyProto;
import io.fedsearch.federation.p2p.protocol.Identify;
import io.fedsearch.federation.p2p.protocol.IdentifyMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** identify/push between two real hosts: what a host starts or stops serving reaches its connected peers at once. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdentifyPushTest {
  private static final String LATE = "/fedsearch/late/1.0.0";
  @RegisterExtension final StartedHosts hosts = new StartedHosts();
  @TempDir Path dir;

  private Host host() throws IOException {
    return hosts.start(Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false)
        .dataDir(dir.resolve("h" + hosts.size())));
  }

  private static List<String> protocolsOf(Host at, Host peer) {
    return at.peerStore().get(peer.peerId()).map(PeerInfo::protocols).orElse(List.of());
  }

  /** What {@code host}'s connection listeners hear of pushes, in order. */
  private static List<PeerInfo> updatesHeardBy(Host host) {
    List<PeerInfo> updates = new CopyOnWriteArrayList<>();
    host.addConnectionListener(new ConnectionListener() {
      @Override
      public void updated(Connection connection, PeerInfo info) {
        updates.add(info);
      }
    });
    return updates;
  }

  /** Connects a to b and waits until each has identified the other. */
  private static Connection connected(Host a, Host b) throws IOException {
    Connection c = a.dial(b.listenAddresses().get(0));
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() ->
        protocolsOf(a, b).contains(Identify.PUSH_PROTOCOL) && protocolsOf(b, a).contains(Identify.PUSH_PROTOCOL));
    return c;
  }

  @Test
  void aProtocolServedAfterConnectingReachesConnectedPeersAtOnce() throws Exception {
    Host a = host();
    Host b = host();
    List<PeerInfo> updates = updatesHeardBy(b);
    connected(a, b);
    assertThat(protocolsOf(b, a)).doesNotContain(LATE);

    // Before identify/push, b learnt this only when it next connected to a (identify runs once per connection).
    a.addProtocolHandler(LATE, s -> {});
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> protocolsOf(b, a).contains(LATE));
    assertThat(updates).last().satisfies(info -> {
      assertThat(info.peerId()).isEqualTo(a.peerId());
      assertThat(info.protocols()).contains(LATE, Identify.PROTOCOL);
    });

    a.removeProtocolHandler(LATE);
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> !protocolsOf(b, a).contains(LATE));
    assertThat(protocolsOf(b, a)).contains(Identify.PROTOCOL, Identify.PUSH_PROTOCOL);
  }

  @Test
  void aBurstOfRegistrationsIsPushedOnce() throws Exception {
    Host a = host();
    Host b = host();
    List<PeerInfo> updates = updatesHeardBy(b);
    connected(a, b);
    for (int i = 0; i < 5; i++) {
      a.addProtocolHandler("/fedsearch/burst/" + i, s -> {});
    }
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() ->
        protocolsOf(b, a).containsAll(List.of("/fedsearch/burst/0", "/fedsearch/burst/4")));
    Thread.sleep(3 * IdentifyService.DEBOUNCE.toMillis());
    assertThat(updates).hasSize(1);
    a.addProtocolHandler("/fedsearch/burst/0", s -> {}); // replacing a handler changes nothing a peer sees
    Thread.sleep(3 * IdentifyService.DEBOUNCE.toMillis());
    assertThat(updates).hasSize(1);
  }

  @Test
  void aPushSpeaksOnlyForThePeerThatSentIt() throws Exception {
    Host a = host();
    Host b = host();
    Connection c = connected(a, b);
    // A push carrying another node's key: refused, nothing of it is kept.
    NodeKey other = NodeKey.generate();
    IdentifyMessage forged = new IdentifyMessage(PublicKeyProto.encode(other.publicKey()), List.of(),
        List.of("/fedsearch/forged/1.0.0"), null, Identify.PROTOCOL_VERSION, "forger/1.0");
    try {
      Identify.push(c, forged, Duration.ofSeconds(5));
    } catch (IOException expected) {
      // b may reset the stream before a has closed its side
    }
    // Then a well-formed push on the same connection: once it shows, the forged one has been dealt with.
    IdentifyMessage honest = new IdentifyMessage(null, List.of(), List.of("/fedsearch/honest/1.0.0"), null, "", "");
    Identify.push(c, honest, Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() ->
        protocolsOf(b, a).contains("/fedsearch/honest/1.0.0"));
    assertThat(protocolsOf(b, a)).doesNotContain("/fedsearch/forged/1.0.0");
    // The push named no agent: the agent identify reported stays (fields a push leaves out are unchanged).
    assertThat(b.peerStore().agentVersion(a.peerId())).contains(Host.AGENT);
  }

  @Test
  void aPushWithoutProtocolsKeepsThem() throws Exception {
    Host a = host();
    Host b = host();
    Connection c = connected(a, b);
    List<String> before = protocolsOf(b, a);
    Identify.push(c, new IdentifyMessage(null, List.of(), List.of(), null, "", "fedsearch/9.9.9"), Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() ->
        b.peerStore().agentVersion(a.peerId()).orElse("").equals("fedsearch/9.9.9"));
    assertThat(protocolsOf(b, a)).isEqualTo(before);
  }
}
