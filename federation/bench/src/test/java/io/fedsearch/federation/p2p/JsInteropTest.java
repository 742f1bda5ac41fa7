package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.bench.p2p.JsPeer;
import io.fedsearch.federation.p2p.kad.Dht;
import io.fedsearch.federation.p2p.kad.KadConfig;
import io.fedsearch.federation.p2p.protocol.Identify;
import io.fedsearch.federation.p2p.protocol.IdentifyMessage;
import io.fedsearch.federation.p2p.protocol.Ping;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Java ↔ js-libp2p 3.3.11 in both directions, with and without the Noise early-muxer extension. */
@Tag("interop")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsInteropTest {
  static final String ECHO = "/fedsearch/echo/1.0.0";
  static final Duration T = Duration.ofSeconds(30);
  static Path scripts;
  final List<Host> hosts = new ArrayList<>();
  final List<JsPeer> peers = new ArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void needsNode() {
    Assumptions.assumeTrue(JsPeer.nodeAvailable(), "node is not installed");
    Path root = Path.of(System.getProperty("fedsearch.root", "."));
    scripts = JsPeer.scriptDir(root).orElseThrow(() -> new IllegalStateException(
        "js-libp2p is not installed in " + root.resolve(JsPeer.SCRIPT_DIR) + ": run .ci/npm-deps"));
  }

  @AfterEach
  void stop() {
    peers.forEach(JsPeer::close);
    hosts.forEach(Host::stop);
  }

  JsPeer js() throws IOException {
    Path logs = Path.of(System.getProperty("fedsearch.js.logs", dir.toString()));
    JsPeer p = JsPeer.start(scripts, logs.resolve("js-" + peers.size() + ".log"));
    peers.add(p);
    return p;
  }

  Host java(boolean earlyMuxer) throws IOException {
    Host h = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").earlyMuxer(earlyMuxer)
        .kad(KadConfig.defaults().withProtocol(KadConfig.IPFS_PROTOCOL)).dataDir(dir.resolve("j" + hosts.size()))
        .build();
    new RequestResponse(h).handle(ECHO, 8 << 20, (from, req) -> req);
    h.start();
    hosts.add(h);
    return h;
  }

  @ParameterizedTest(name = "earlyMuxer={0}")
  @ValueSource(booleans = {true, false})
  void javaDialsJs(boolean earlyMuxer) throws Exception {
    JsPeer js = js();
    Host h = java(earlyMuxer);
    Connection c = h.dial(js.address());
    assertThat(c.remotePeer()).isEqualTo(js.peerId());
    assertThat(c.usedEarlyMuxer()).isEqualTo(earlyMuxer);
    assertThat(Ping.ping(c, 3, Duration.ofSeconds(5))).hasSize(3);

    IdentifyMessage id = Identify.request(c, Duration.ofSeconds(5));
    assertThat(id.agentVersion()).startsWith("js-libp2p/3.3.11");
    assertThat(id.protocols()).contains(ECHO, Identify.PROTOCOL, Ping.PROTOCOL, KadConfig.IPFS_PROTOCOL);
    assertThat(id.listenAddrs()).contains(js.address().withoutPeerId());

    RequestResponse rr = new RequestResponse(h);
    Random random = new Random(1);
    for (int size : new int[] {1, 64 * 1024, 4 * 1024 * 1024}) {
      byte[] msg = new byte[size];
      random.nextBytes(msg);
      assertThat(rr.call(js.peerId(), ECHO, msg, 8 << 20, T).get(60, TimeUnit.SECONDS)).isEqualTo(msg);
    }
    List<byte[]> sent = new ArrayList<>();
    List<CompletableFuture<byte[]>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] msg = new byte[100 + 331 * i];
      random.nextBytes(msg);
      sent.add(msg);
      calls.add(rr.call(js.peerId(), ECHO, msg, 1 << 20, T));
    }
    for (int i = 0; i < 50; i++) {
      assertThat(calls.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(sent.get(i));
    }
    // js identified us too: our listen address and protocols are in its peer store
    JsonNode info = js.call(js.command("waitIdentified").put("peer", h.peerId().toString()), T);
    assertThat(info.path("protocols").toString()).contains(ECHO, KadConfig.IPFS_PROTOCOL);
    assertThat(c.isOpen()).isTrue();
  }

  @ParameterizedTest(name = "earlyMuxer={0}")
  @ValueSource(booleans = {true, false})
  void jsDialsJava(boolean earlyMuxer) throws Exception {
    JsPeer js = js();
    Host h = java(earlyMuxer);
    String addr = h.listenAddresses().get(0).toString();
    assertThat(js.call(js.command("dial").put("addr", addr), T).path("peer").asText())
        .isEqualTo(h.peerId().toString());
    // js counts the connection as up once it sent the last handshake message
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> assertThat(h.connection(js.peerId())).isPresent());
    Connection c = h.connection(js.peerId()).orElseThrow();
    assertThat(c.isInitiator()).isFalse();
    assertThat(c.usedEarlyMuxer()).isEqualTo(earlyMuxer);
    assertThat(c.remotePublicKey()).isEqualTo(js.peerId().publicKey().orElseThrow());

    assertThat(js.call(js.command("ping").put("addr", addr).put("count", 3), T).path("rtts")).hasSize(3);
    JsonNode echo = js.call(js.command("echo").put("addr", addr).set("sizes",
        js.command("x").arrayNode().add(1).add(64 * 1024).add(4 * 1024 * 1024)), Duration.ofSeconds(60));
    for (JsonNode r : echo.path("results")) {
      assertThat(r.path("ok").asBoolean()).as("echo of %s bytes", r.path("size")).isTrue();
    }
    assertThat(js.call(js.command("concurrent").put("addr", addr).put("n", 50).put("size", 1000),
        Duration.ofSeconds(60)).path("okCount").asInt()).isEqualTo(50);

    JsonNode info = js.call(js.command("waitIdentified").put("peer", h.peerId().toString()), T);
    assertThat(info.path("protocols").toString()).contains(ECHO, Identify.PROTOCOL, Ping.PROTOCOL);
    JsonNode full = js.call(js.command("peerInfo").put("peer", h.peerId().toString()), T);
    assertThat(full.path("agentVersion").asText()).isEqualTo(Host.AGENT);
    assertThat(full.path("addrs").toString()).contains(h.listenAddresses().get(0).withoutPeerId().toString());
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        assertThat(h.peerStore().get(js.peerId()).map(PeerInfo::protocols).orElse(List.of())).isNotEmpty());
    assertThat(h.peerStore().get(js.peerId()).orElseThrow().agentVersion()).startsWith("js-libp2p");
  }

  /** identify/push both ways: a protocol served after connecting reaches the other side without a new connection. */
  @org.junit.jupiter.api.Test
  void protocolsServedAfterConnectingArePushedBothWays() throws Exception {
    JsPeer js = js();
    Host h = java(true);
    h.dial(js.address());
    // (js records a protocol it opened a stream with before identify answers: wait for the whole list)
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
        js.call(js.command("peerInfo").put("peer", h.peerId().toString()), T).path("protocols").toString()
            .contains(Identify.PUSH_PROTOCOL));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
        h.peerStore().get(js.peerId()).map(PeerInfo::protocols).orElse(List.of()).contains(Identify.PUSH_PROTOCOL));

    String fromJava = "/fedsearch/java-late/1.0.0";
    h.addProtocolHandler(fromJava, s -> {});
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
        js.call(js.command("peerInfo").put("peer", h.peerId().toString()), T).path("protocols").toString()
            .contains(fromJava));

    String fromJs = "/fedsearch/js-late/1.0.0";
    js.call(js.command("handle").put("protocol", fromJs), T);
    // js pushes a second after its last change (its debounce)
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
        h.peerStore().get(js.peerId()).map(PeerInfo::protocols).orElse(List.of()).contains(fromJs));
    js.call(js.command("unhandle").put("protocol", fromJs), T);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
        !h.peerStore().get(js.peerId()).map(PeerInfo::protocols).orElse(List.of()).contains(fromJs));
    assertThat(h.peerStore().get(js.peerId()).orElseThrow().agentVersion()).startsWith("js-libp2p");
  }

  @ParameterizedTest(name = "earlyMuxer={0}")
  @ValueSource(booleans = {true, false})
  void mixedNetworkProvidesAndFindsAcrossJavaAndJs(boolean earlyMuxer) throws Exception {
    Host j0 = java(earlyMuxer);
    Host j1 = javaBootstrapped(earlyMuxer, j0);
    Host j2 = javaBootstrapped(earlyMuxer, j0);
    JsPeer js0 = js();
    JsPeer js1 = js();
    String j0Addr = j0.listenAddresses().get(0).toString();
    js0.call(js0.command("dial").put("addr", j0Addr), T);
    js1.call(js1.command("dial").put("addr", j0Addr), T);
    js1.call(js1.command("dial").put("addr", j1.listenAddresses().get(0).toString()), T);
    awaitRoutingTable(j0, 4);
    awaitJsRoutingTable(js0, 1);
    awaitJsRoutingTable(js1, 1);
    Dht d1 = j1.dht().orElseThrow();
    Dht d2 = j2.dht().orElseThrow();

    // a Java provider found by a js peer
    Cid fromJava = Cid.ofDagCbor(("java-content-" + earlyMuxer).getBytes());
    assertThat(d2.provide(fromJava)).isPositive();
    JsonNode found = js1.call(js1.command("findProviders").put("cid", fromJava.toString()).put("limit", 1), T);
    assertThat(found.path("providers").toString()).contains(j2.peerId().toString());

    // a js provider found by a Java peer that never talked to it
    Cid fromJs = Cid.ofDagCbor(("js-content-" + earlyMuxer).getBytes());
    js0.call(js0.command("provide").put("cid", fromJs.toString()), T);
    List<PeerInfo> providers = d2.findProviders(fromJs, 5, Duration.ofSeconds(15));
    assertThat(providers).extracting(PeerInfo::peerId).contains(js0.peerId());
    assertThat(providers.stream().filter(p -> p.peerId().equals(js0.peerId())).findFirst().orElseThrow()
        .addresses()).contains(js0.address().withoutPeerId());

    // find-node in both directions
    assertThat(d1.closestPeers(js0.peerId().bytes(), Duration.ofSeconds(15))).contains(js0.peerId());
    JsonNode closest = js1.call(js1.command("closestPeers").put("peer", j2.peerId().toString()), T);
    assertThat(closest.path("peers").toString()).contains(j2.peerId().toString(),
        j2.listenAddresses().get(0).withoutPeerId().toString());
  }

  Host javaBootstrapped(boolean earlyMuxer, Host seed) throws IOException {
    Host h = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").earlyMuxer(earlyMuxer)
        .kad(KadConfig.defaults().withProtocol(KadConfig.IPFS_PROTOCOL)).bootstrap(seed.listenAddresses()).build();
    h.start();
    hosts.add(h);
    return h;
  }

  static void awaitRoutingTable(Host h, int size) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
        assertThat(h.dht().orElseThrow().routingTable()).hasSizeGreaterThanOrEqualTo(size));
  }

  static void awaitJsRoutingTable(JsPeer js, int size) {
    // 20 s plus one last call (up to T) started just before the limit, as the old loop allowed
    await().atMost(Duration.ofSeconds(20).plus(T)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(js.call(js.command("routingTable"), T).path("size").asInt())
            .as("js routing table size").isGreaterThanOrEqualTo(size));
  }
}
