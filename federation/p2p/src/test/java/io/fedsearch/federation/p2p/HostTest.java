package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fedsearch.federation.p2p.protocol.Ping;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostTest {
  static final String ECHO = "/fedsearch/echo/1.0.0";
  private final List<Host> hosts = new ArrayList<>();
  @TempDir Path dir;

  Host host(boolean earlyMuxer) throws IOException {
    Host h = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").earlyMuxer(earlyMuxer)
        .dataDir(dir.resolve("h" + hosts.size())).build();
    new RequestResponse(h).handle(ECHO, 8 << 20, (from, req) -> req);
    h.start();
    hosts.add(h);
    return h;
  }

  @AfterEach
  void stop() {
    hosts.forEach(Host::stop);
  }

  /**
   * A node whose bootstrap peer was not there when it started (here: not yet listening; in CI, a bootstrap peer
   * refusing a fifth pending handshake from 127.0.0.1) dials it again while it has no connection, instead of
   * staying alone until someone dials it.
   */
  @Test
  void aBootstrapPeerThatWasNotThereAtStartIsDialledAgain() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // free now; the bootstrap peer listens on it later
    }
    NodeKey bootstrapKey = NodeKey.generate();
    Multiaddr bootstrapAddress =
        Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port + "/p2p/" + PeerId.of(bootstrapKey.publicKey()));
    Host late = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").bootstrap(List.of(bootstrapAddress))
        .dataDir(dir.resolve("late")).build();
    late.start();
    hosts.add(late);
    Thread.sleep(300); // its first dial is refused: nothing listens yet
    assertThat(late.connection(PeerId.of(bootstrapKey.publicKey()))).isEmpty();

    Host bootstrap = Host.builder(bootstrapKey).listen("/ip4/127.0.0.1/tcp/" + port)
        .dataDir(dir.resolve("bootstrap")).build();
    bootstrap.start();
    hosts.add(bootstrap);
    // retried after 1 s, 2 s, 4 s ... while alone
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> late.connection(bootstrap.peerId()).isPresent());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void javaToJavaHandshakePingIdentifyAndEcho(boolean earlyMuxer) throws Exception {
    Host a = host(earlyMuxer);
    Host b = host(true);
    Connection c = a.dial(b.listenAddresses().get(0));
    assertThat(c.remotePeer()).isEqualTo(b.peerId());
    assertThat(c.remotePublicKey()).isEqualTo(b.peerId().publicKey().orElseThrow());
    assertThat(c.usedEarlyMuxer()).isEqualTo(earlyMuxer);
    assertThat(Ping.ping(c, 3, Duration.ofSeconds(5))).hasSize(3);
    RequestResponse rr = new RequestResponse(a);
    Random random = new Random(7);
    for (int size : new int[] {1, 65536, 4 << 20}) {
      byte[] msg = new byte[size];
      random.nextBytes(msg);
      byte[] back = rr.call(b.peerId(), ECHO, msg, 8 << 20, Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS);
      assertThat(back).isEqualTo(msg);
    }
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        assertThat(b.peerStore().get(a.peerId()).map(PeerInfo::protocols).orElse(List.of())).isNotEmpty());
    assertThat(b.peerStore().get(a.peerId()).orElseThrow().protocols()).contains(ECHO, "/ipfs/ping/1.0.0");
    assertThat(b.connection(a.peerId()).orElseThrow().remotePublicKey()).isEqualTo(a.peerId().publicKey().get());
  }

  @Test
  void fedsearchPeersSendTheRequestWithTheProposal() throws Exception {
    Host a = host(true);
    Host b = host(true);
    Connection c = a.dial(b.listenAddresses().get(0));
    // identify names the agent
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        assertThat(a.acceptsOptimisticSelect(b.peerId())).isTrue());
    byte[] msg = "one round trip".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Stream s = c.newStreamSending(ECHO, io.fedsearch.federation.p2p.wire.LengthPrefixed.frame(msg));
    assertThat(io.fedsearch.federation.p2p.wire.LengthPrefixed.read(s.in(), 1024)).isEqualTo(msg);
    assertThat(s.in().read()).as("the answer ends the stream").isEqualTo(-1);
    // A protocol the remote does not speak fails the open ("na", or the remote resets when it reads the request
    // as a malformed second proposal), and the connection stays usable.
    assertThatThrownBy(() -> c.newStreamSending("/fedsearch/nope/1.0.0",
        io.fedsearch.federation.p2p.wire.LengthPrefixed.frame(msg)))
        .isInstanceOf(IOException.class).satisfiesAnyOf(
            e -> assertThat(e).isInstanceOf(io.fedsearch.federation.p2p.mss.Multistream.UnsupportedProtocolException.class),
            e -> assertThat(e).hasMessageContaining("reset"));
    assertThat(new RequestResponse(a).call(b.peerId(), ECHO, msg, 1024, Duration.ofSeconds(5))
        .get(10, TimeUnit.SECONDS)).isEqualTo(msg);
    // The answerer's multistream answer rides with its response and FIN: one frame per call. (Background frames,
    // such as a keepalive answer, may add one or two; two frames per call would be 20.)
    var answerer = b.connection(a.peerId()).orElseThrow().session();
    long before = answerer.framesSent();
    for (int i = 0; i < 10; i++) {
      new RequestResponse(a).call(b.peerId(), ECHO, msg, 1024, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }
    assertThat(answerer.framesSent() - before).isBetween(10L, 13L);
  }

  @Test
  void aRequestSlowerThanNegotiationStillGetsItsAnswer() throws Exception {
    // The answer to the proposal rides with the response, so the asker waits for it as long as for the call.
    Limits quick = Limits.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(200));
    Host a = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").limits(quick)
        .dataDir(dir.resolve("slow-a")).build();
    Host b = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").limits(quick)
        .dataDir(dir.resolve("slow-b")).build();
    new RequestResponse(b).handle("/fedsearch/slow/1.0.0", 1024, (from, req) -> {
      Thread.sleep(600);
      return req;
    });
    for (Host h : List.of(a, b)) {
      h.start();
      hosts.add(h);
    }
    a.dial(b.listenAddresses().get(0));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!a.acceptsOptimisticSelect(b.peerId()) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    byte[] msg = {1, 2, 3};
    assertThat(new RequestResponse(a).call(b.peerId(), "/fedsearch/slow/1.0.0", msg, 1024, Duration.ofSeconds(5))
        .get(10, TimeUnit.SECONDS)).isEqualTo(msg);
  }

  @Test
  void fiftyConcurrentStreams() throws Exception {
    Host a = host(true);
    Host b = host(true);
    a.dial(b.listenAddresses().get(0));
    RequestResponse rr = new RequestResponse(a);
    List<CompletableFuture<byte[]>> calls = new ArrayList<>();
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] msg = new byte[1000 + i * 997];
      new Random(i).nextBytes(msg);
      sent.add(msg);
      calls.add(rr.call(b.peerId(), ECHO, msg, 1 << 20, Duration.ofSeconds(20)));
    }
    for (int i = 0; i < 50; i++) {
      assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(sent.get(i));
    }
    assertThat(a.allConnections()).hasSize(1);
  }

  @Test
  void unknownProtocolAndWrongPeerIdAreRefused() throws Exception {
    Host a = host(true);
    Host b = host(true);
    assertThatThrownBy(() -> a.newStream(b.listenAddresses().get(0), "/nope/1.0.0"))
        .hasMessageContaining("does not support");
    Multiaddr wrong = b.listenAddresses().get(0).withPeerId(PeerId.of(NodeKey.generate().publicKey()));
    Host c = host(true);
    assertThatThrownBy(() -> c.dial(wrong)).hasMessageContaining("expected");
  }

  @Test
  void timedOutCallResetsTheStream() throws Exception {
    Host a = host(true);
    Host b = host(true);
    new RequestResponse(b).handle("/slow/1", 1024, (from, req) -> {
      Thread.sleep(5000);
      return req;
    });
    a.dial(b.listenAddresses().get(0));
    CompletableFuture<byte[]> f = new RequestResponse(a).call(b.peerId(), "/slow/1", new byte[] {1}, 1024,
        Duration.ofMillis(300));
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
  }

  @Test
  void connectionEventsHalfCloseResetAndCancellation() throws Exception {
    Host a = host(true);
    Host b = host(true);
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    b.addConnectionListener(new ConnectionListener() {
      @Override
      public void connected(Connection c) {
        events.add("connected " + c.remotePeer());
      }

      @Override
      public void identified(Connection c, PeerInfo info) {
        events.add("identified " + info.agentVersion());
      }

      @Override
      public void disconnected(Connection c, String reason) {
        events.add("disconnected " + reason);
      }
    });
    // half-close: the handler reads to end of stream, then still answers on its open side
    b.addProtocolHandler("/count/1", st -> {
      long n = st.in().readAllBytes().length;
      st.out().write(Long.toString(n).getBytes());
    });
    Connection c = a.dial(b.listenAddresses().get(0));
    Stream st = c.newStream("/count/1");
    st.out().write(new byte[300_000]); // beyond one initial window: needs the reader's credit
    st.closeWrite();
    assertThat(new String(st.in().readAllBytes())).isEqualTo("300000");

    // reset reaches the other side as an error, not as end of stream
    java.util.concurrent.CompletableFuture<String> seen = new java.util.concurrent.CompletableFuture<>();
    b.addProtocolHandler("/wait/1", in -> {
      try {
        in.in().readAllBytes();
        seen.complete("eof");
      } catch (IOException e) {
        seen.complete(e.getMessage());
      }
    });
    Stream w = c.newStream("/wait/1");
    w.reset();
    assertThat(seen.get(5, TimeUnit.SECONDS)).contains("reset");

    // a cancelled call resets its stream on the server
    new RequestResponse(b).handle("/slow/2", 16, (from, req) -> {
      Thread.sleep(10_000);
      return req;
    });
    CompletableFuture<byte[]> call = new RequestResponse(a).call(b.peerId(), "/slow/2", new byte[] {1}, 16,
        Duration.ofSeconds(30));
    Thread.sleep(300);
    call.cancel(true);
    assertThat(call).isCancelled();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        assertThat(b.connection(a.peerId()).orElseThrow().session().streamCount()).isZero());

    a.stop();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        assertThat(events).anyMatch(e -> e.startsWith("disconnected")));
    assertThat(events).contains("connected " + a.peerId(), "identified " + Host.AGENT);
  }
}
