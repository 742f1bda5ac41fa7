package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.federation.p2p.kad.KadConfig;
import io.fedsearch.federation.p2p.kad.KadDht;
import io.fedsearch.federation.p2p.kad.KadMessage;
import io.fedsearch.federation.p2p.kad.RecordValidator;
import io.fedsearch.federation.p2p.wire.LengthPrefixed;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19 items 3 and 4, over real sockets: crafted Kademlia messages from attacker peers cannot store data on a
 * node, flush the providers it knows, or replace the addresses it learned from a peer itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KadAbuseTest {
  static final Limits RELAXED = Limits.defaults().withInboundPerIpPerSecond(100_000).withMaxConnections(1000, 1000);
  private final List<Host> hosts = new ArrayList<>();

  Host host(KadConfig kad, boolean dht) throws IOException {
    Host h = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").limits(RELAXED).dht(dht).kad(kad)
        .build();
    h.start();
    hosts.add(h);
    return h;
  }

  @AfterEach
  void stop() {
    hosts.forEach(Host::stop);
  }

  /** Sends {@code msg} on a kad stream from {@code from} to {@code to}; the reply, or null when refused. */
  static KadMessage send(Host from, Host to, KadMessage msg) {
    try (Stream s = from.newStream(to.listenAddresses().get(0), KadConfig.DEFAULT_PROTOCOL)) {
      s.setReadTimeout(Duration.ofSeconds(10));
      LengthPrefixed.write(s.out(), msg.encode());
      s.closeWrite(); // the server answers, or (ADD_PROVIDER) just ends the stream
      byte[] raw = LengthPrefixed.read(s.in(), 1 << 20);
      return raw == null ? null : KadMessage.decode(raw);
    } catch (IOException e) {
      return null;
    }
  }

  static KadMessage put(String key, byte[] value) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return new KadMessage(KadMessage.PUT_VALUE, k, new KadMessage.Record(k, value, ""), List.of(), List.of());
  }

  @Test
  void putValueIsRefusedByDefault() throws Exception {
    Host victim = host(KadConfig.defaults(), true);
    Host attacker = host(KadConfig.defaults(), false);
    int stored = 0;
    for (int i = 0; i < 20; i++) {
      if (send(attacker, victim, put("/junk/" + i, new byte[64 * 1024])) != null) {
        stored++;
      }
    }
    assertThat(stored).as("PUT_VALUE acknowledged").isZero();
    assertThat(((KadDht) victim.dht().orElseThrow()).recordCount()).isZero();
  }

  @Test
  void aNodeThatAcceptsValuesKeepsEachPeerWithinItsQuota() throws Exception {
    Host victim = host(KadConfig.defaults().withValidator(RecordValidator.bounded(1024)), true);
    Host attacker = host(KadConfig.defaults(), false);
    for (int i = 0; i < KadDht.MAX_RECORDS_PER_PEER + 40; i++) {
      send(attacker, victim, put("/junk/" + i, new byte[1024]));
    }
    assertThat(((KadDht) victim.dht().orElseThrow()).recordCount()).isEqualTo(KadDht.MAX_RECORDS_PER_PEER);
  }

  @Test
  void sybilProvidersDoNotFlushLongStandingOnes() throws Exception {
    Host victim = host(KadConfig.defaults(), true);
    byte[] key = Cid.ofDagCbor("index-nodes".getBytes(StandardCharsets.UTF_8)).multihash();
    List<Host> honest = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Host h = host(KadConfig.defaults(), false);
      honest.add(h);
      send(h, victim, announce(h, key));
    }
    for (int i = 0; i < 80; i++) { // 80 fresh identities, each announcing itself over its own connection
      Host sybil = host(KadConfig.defaults(), false);
      send(sybil, victim, announce(sybil, key));
      sybil.stop();
    }
    Host asker = host(KadConfig.defaults(), false);
    KadMessage answer = send(asker, victim, KadMessage.request(KadMessage.GET_PROVIDERS, key));
    assertThat(answer).isNotNull();
    List<PeerId> providers = answer.providerPeers().stream().map(KadMessage.Peer::id).toList();
    assertThat(providers).hasSizeLessThanOrEqualTo(64)
        .containsAll(honest.stream().map(Host::peerId).toList());
  }

  static KadMessage announce(Host self, byte[] key) {
    KadMessage.Peer me = new KadMessage.Peer(self.peerId(),
        self.listenAddresses().stream().map(Multiaddr::withoutPeerId).toList());
    return new KadMessage(KadMessage.ADD_PROVIDER, key, null, List.of(), List.of(me));
  }

  @Test
  void thirdPartiesCannotReplaceAddressesLearnedFromThePeer() throws Exception {
    Host victim = host(KadConfig.defaults(), true);
    Host honest = host(KadConfig.defaults(), true);
    victim.dial(honest.listenAddresses().get(0));
    Multiaddr real = honest.listenAddresses().get(0).withoutPeerId();
    awaitAddress(victim, honest.peerId(), real);
    // an attacker whose kad server names the honest peer, at addresses of its choosing, in every answer
    Host attacker = host(KadConfig.defaults(), true);
    List<Multiaddr> bogus = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      bogus.add(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (40000 + i)));
    }
    attacker.addProtocolHandler(KadConfig.DEFAULT_PROTOCOL, s -> {
      s.setReadTimeout(Duration.ofSeconds(10));
      while (LengthPrefixed.read(s.in(), 1 << 20) instanceof byte[] raw) {
        KadMessage req = KadMessage.decode(raw);
        LengthPrefixed.write(s.out(), new KadMessage(req.type(), req.key(), null,
            List.of(new KadMessage.Peer(honest.peerId(), bogus)), List.of()).encode());
      }
    });
    victim.dial(attacker.listenAddresses().get(0));
    // the lookup below must ask the attacker, or the assertions after it would pass without testing anything
    await("the attacker is in the victim's routing table").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> victim.dht().orElseThrow().routingTable().contains(attacker.peerId()));
    victim.dht().orElseThrow().closestPeers(new byte[] {1, 2, 3}, Duration.ofSeconds(5));
    assertThat(victim.peerStore().addresses(honest.peerId())).first().isEqualTo(real);
    assertThat(victim.peerStore().addresses(honest.peerId())).doesNotContainAnyElementsOf(bogus);
  }

  static void awaitAddress(Host h, PeerId peer, Multiaddr addr) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertThat(h.peerStore().addresses(peer)).contains(addr));
  }

  @Test
  void identifiedPeersStayWithinThePeerStoreBound() {
    PeerStore store = new PeerStore(null);
    for (int i = 0; i < PeerStore.MAX_PEERS + 500; i++) {
      PeerId p = PeerId.of(NodeKey.generate().publicKey());
      store.identified(p, List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/" + (1 + i % 60000))), List.of(), "x");
    }
    assertThat(store.peers()).hasSizeLessThanOrEqualTo(PeerStore.MAX_PEERS);
  }
}
