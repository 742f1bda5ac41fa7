package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fedsearch.federation.p2p.kad.Dht;
import io.fedsearch.federation.p2p.kad.KadConfig;
import io.fedsearch.federation.p2p.kad.KadKey;
import io.fedsearch.federation.p2p.kad.RecordValidator;
import io.fedsearch.federation.p2p.kad.RoutingTable;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DhtTest {
  private final List<Host> hosts = new ArrayList<>();
  @TempDir Path dir;

  /** Values must be {@code signature(64) || payload}, signed by the key whose hex follows "/pk/" in the key. */
  static final RecordValidator SIGNED = new RecordValidator() {
    @Override
    public void validate(byte[] key, byte[] value) {
      String k = new String(key, StandardCharsets.UTF_8);
      if (!k.startsWith("/pk/") || value.length < 64) {
        throw new IllegalArgumentException("not a /pk/ record");
      }
      NodePublicKey signer = NodePublicKey.fromHex(k.substring(4));
      if (!signer.verifies(Arrays.copyOfRange(value, 64, value.length), Arrays.copyOf(value, 64))) {
        throw new IllegalArgumentException("bad signature");
      }
    }
  };

  Host host(KadConfig kad, List<Multiaddr> bootstrap) throws IOException {
    return host(NodeKey.generate(), kad, bootstrap, dir.resolve("n" + hosts.size()));
  }

  Host host(NodeKey key, KadConfig kad, List<Multiaddr> bootstrap, Path data) throws IOException {
    Host h = Host.builder(key).listen("/ip4/127.0.0.1/tcp/0").kad(kad).bootstrap(bootstrap).dataDir(data).build();
    h.start();
    hosts.add(h);
    return h;
  }

  @AfterEach
  void stop() {
    hosts.forEach(Host::stop);
  }

  List<Host> network(int n, KadConfig kad) throws Exception {
    Host first = host(kad, List.of());
    List<Host> all = new ArrayList<>(List.of(first));
    for (int i = 1; i < n; i++) {
      all.add(host(kad, first.listenAddresses()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (first.dht().orElseThrow().routingTable().size() < n - 1 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    for (Host h : all) {
      h.dht().orElseThrow().bootstrap();
    }
    // Every node knows a few others before a test stores or looks anything up (on a loaded machine the first
    // bootstrap lookups can time out and leave a late node with a near-empty table; it bootstraps again here).
    int enough = Math.min(n - 1, 3);
    await("every routing table holds " + enough + " peers").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).until(() -> {
          boolean ready = true;
          for (Host h : all) {
            if (h.dht().orElseThrow().routingTable().size() < enough) {
              h.dht().orElseThrow().bootstrap();
              ready = false;
            }
          }
          return ready;
        });
    return all;
  }

  @Test
  void routingTableKeepsKPerBucketAndSortsByDistance() {
    PeerId self = PeerId.of(NodeKey.generate().publicKey());
    RoutingTable t = new RoutingTable(self, 2);
    List<PeerId> added = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      PeerId p = PeerId.of(NodeKey.generate().publicKey());
      if (t.add(p)) {
        added.add(p);
      }
    }
    assertThat(t.size()).isEqualTo(added.size()).isLessThan(200);
    assertThat(t.add(self)).isFalse();
    KadKey target = KadKey.of(added.get(0).bytes());
    List<PeerId> closest = t.closest(target, 5);
    assertThat(closest.get(0)).isEqualTo(added.get(0));
    for (int i = 1; i < closest.size(); i++) {
      assertThat(KadKey.byDistanceTo(target).compare(KadKey.of(closest.get(i - 1).bytes()),
          KadKey.of(closest.get(i).bytes()))).isLessThanOrEqualTo(0);
    }
  }

  @Test
  void providersAndSignedValuesTravelAcrossTheNetwork() throws Exception {
    List<Host> net = network(6, KadConfig.defaults().withAlpha(2).withValidator(SIGNED));
    Dht provider = net.get(5).dht().orElseThrow();
    Dht seeker = net.get(3).dht().orElseThrow();
    Cid cid = Cid.ofDagCbor("hello dht".getBytes(StandardCharsets.UTF_8));
    assertThat(provider.provide(cid)).isGreaterThanOrEqualTo(3);
    List<PeerInfo> found = seeker.findProviders(cid, 3, Duration.ofSeconds(10));
    assertThat(found).extracting(PeerInfo::peerId).containsExactly(net.get(5).peerId());
    assertThat(found.get(0).addresses()).contains(net.get(5).listenAddresses().get(0).withoutPeerId());
    assertThat(seeker.findProviders(Cid.ofDagCbor(new byte[] {1}), 3, Duration.ofSeconds(5))).isEmpty();

    NodeKey author = NodeKey.generate();
    byte[] key = ("/pk/" + author.publicKey().hex()).getBytes(StandardCharsets.UTF_8);
    byte[] payload = "signed value".getBytes(StandardCharsets.UTF_8);
    byte[] value = concat(author.sign(payload), payload);
    assertThat(net.get(1).dht().orElseThrow().putValue(key, value)).isGreaterThanOrEqualTo(3);
    assertThat(net.get(4).dht().orElseThrow().getValue(key, Duration.ofSeconds(10))).hasValue(value);
    byte[] forged = value.clone();
    forged[forged.length - 1] ^= 1;
    assertThatThrownBy(() -> net.get(2).dht().orElseThrow().putValue(key, forged)).hasMessageContaining("signature");
    assertThat(net.get(4).dht().orElseThrow().getValue("/pk/00".getBytes(), Duration.ofSeconds(5))).isEmpty();

    PeerId far = net.get(5).peerId();
    assertThat(net.get(1).dht().orElseThrow().closestPeers(far.bytes(), Duration.ofSeconds(10))).contains(far);

    // a newcomer that knows only the first node dials a peer by id: the address comes from a DHT lookup
    Host newcomer = host(KadConfig.defaults().withValidator(SIGNED), net.get(0).listenAddresses());
    // Bootstrapped once the first node is in its routing table (after identify says it speaks kad), not merely
    // connected: a lookup before that has nobody to ask.
    await("the newcomer's routing table holds the first node").atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> newcomer.dht().orElseThrow().routingTable().contains(net.get(0).peerId()));
    newcomer.peerStore().remove(far);
    assertThat(newcomer.dial(far).remotePeer()).isEqualTo(far);
  }

  @Test
  void providerRecordsExpireUnlessRepublished() throws Exception {
    KadConfig shortLived = KadConfig.defaults()
        .withExpiry(Duration.ofMillis(1500), Duration.ofMillis(500), Duration.ofSeconds(5));
    List<Host> net = network(3, shortLived);
    Dht provider = net.get(2).dht().orElseThrow();
    Dht seeker = net.get(1).dht().orElseThrow();
    Cid kept = Cid.ofDagCbor("kept".getBytes());
    Cid dropped = Cid.ofDagCbor("dropped".getBytes());
    provider.provide(kept);
    provider.provide(dropped);
    provider.stopProviding(dropped);
    assertThat(seeker.findProviders(dropped, 1, Duration.ofSeconds(5))).hasSize(1);
    Thread.sleep(3000); // two TTLs: only the republished record survives
    assertThat(seeker.findProviders(kept, 1, Duration.ofSeconds(5))).extracting(PeerInfo::peerId)
        .containsExactly(net.get(2).peerId());
    net.get(2).stop(); // its own store would answer for the dropped record too
    assertThat(seeker.findProviders(dropped, 1, Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void knownPeersArePersistedAndRedialledAfterRestart() throws Exception {
    Host b = host(KadConfig.defaults(), List.of());
    NodeKey key = NodeKey.generate();
    Path data = dir.resolve("restarting");
    Host a = host(key, KadConfig.defaults(), List.of(), data);
    a.dial(b.listenAddresses().get(0));
    a.stop();
    assertThat(Files.readString(data.resolve(PeerStore.FILE))).contains(b.listenAddresses().get(0).toString());
    Host again = host(key, KadConfig.defaults(), List.of(), data);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
        assertThat(again.connection(b.peerId())).isPresent());
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
        assertThat(again.dht().orElseThrow().routingTable()).contains(b.peerId()));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
