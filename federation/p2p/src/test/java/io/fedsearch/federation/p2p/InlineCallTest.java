package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RequestResponse#callInline} between two real hosts over loopback: the answer is read where it arrives (the
 * connection's reader thread) when it is whole, by a thread of its own when it outgrows the receive window, and a
 * call that times out, is refused or loses its connection fails instead of waiting.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InlineCallTest {
  static final String ECHO = "/fedsearch/echo/1.0.0";
  static final String SLOW = "/fedsearch/slow/1.0.0";
  private final List<Host> hosts = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  @TempDir Path dir;

  Host host() throws IOException {
    Host h = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dataDir(dir.resolve("h" + hosts.size()))
        .build();
    RequestResponse rr = new RequestResponse(h);
    rr.handle(ECHO, 8 << 20, (from, req) -> req);
    rr.handle(SLOW, 1024, (from, req) -> {
      release.await(30, TimeUnit.SECONDS);
      return req;
    });
    h.start();
    hosts.add(h);
    return h;
  }

  @AfterEach
  void stop() {
    release.countDown();
    hosts.forEach(Host::stop);
  }

  /** Two fedsearch hosts, connected and identified (so the request may ride with the proposal). */
  Host[] pair() throws IOException {
    Host a = host();
    Host b = host();
    a.dial(b.listenAddresses().get(0));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> a.acceptsOptimisticSelect(b.peerId()));
    return new Host[] {a, b};
  }

  @Test
  void answersOfEverySizeArriveAndShortOnesNeedNoThreadOfTheirOwn() throws Exception {
    Host[] h = pair();
    RequestResponse rr = new RequestResponse(h[0]);
    Random random = new Random(11);
    // 300 KB and 4 MB outgrow the 256 KiB receive window: the remote waits for credit, so a thread reads them
    for (int size : new int[] {1, 65536, 300_000, 4 << 20}) {
      byte[] msg = new byte[size];
      random.nextBytes(msg);
      AtomicReference<String> completedOn = new AtomicReference<>();
      CompletableFuture<byte[]> call = rr.callInline(h[1].peerId(), ECHO, msg, 8 << 20, Duration.ofSeconds(20));
      byte[] back = call.whenComplete((r, e) -> completedOn.compareAndSet(null, Thread.currentThread().getName()))
          .get(30, TimeUnit.SECONDS);
      assertThat(back).as("%d bytes", size).isEqualTo(msg);
      if (size <= 65536) { // completed where the answer arrived (or, had it been quicker still, on this thread)
        assertThat(completedOn.get()).as("%d bytes", size).satisfiesAnyOf(
            n -> assertThat(n).startsWith("p2p-conn-"), n -> assertThat(n).isEqualTo(Thread.currentThread().getName()));
      }
    }
    assertThat(h[0].allConnections()).hasSize(1);
  }

  @Test
  void aTimedOutCallFailsAndFreesItsStream() throws Exception {
    Host[] h = pair();
    RequestResponse rr = new RequestResponse(h[0]);
    CompletableFuture<byte[]> f = rr.callInline(h[1].peerId(), SLOW, new byte[] {1}, 1024, Duration.ofMillis(300));
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    // the stream was reset on both sides, and the connection still answers
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        assertThat(h[0].connection(h[1].peerId()).orElseThrow().session().streamCount()).isZero());
    assertThat(rr.callInline(h[1].peerId(), ECHO, new byte[] {7}, 1024, Duration.ofSeconds(10))
        .get(20, TimeUnit.SECONDS)).containsExactly(7);
  }

  @Test
  void aProtocolTheRemoteDoesNotSpeakFailsTheCall() throws Exception {
    Host[] h = pair();
    CompletableFuture<byte[]> f = new RequestResponse(h[0]).callInline(h[1].peerId(), "/fedsearch/nope/1.0.0",
        new byte[] {1}, 1024, Duration.ofSeconds(20));
    // refused ("na", or a reset when the remote reads the request as a malformed proposal) well before the timeout
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IOException.class);
  }

  @Test
  void aConnectionLostMidCallFailsTheCallAtOnce() throws Exception {
    Host[] h = pair();
    CompletableFuture<byte[]> f = new RequestResponse(h[0]).callInline(h[1].peerId(), SLOW, new byte[] {1}, 1024,
        Duration.ofSeconds(30));
    Thread.sleep(200); // the request is out and waiting
    h[1].connection(h[0].peerId()).orElseThrow().close();
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IOException.class);
  }

  @Test
  void withoutAConnectionTheCallDialsAsBefore() throws Exception {
    Host a = host();
    Host b = host();
    a.peerStore().addAddresses(b.peerId(), b.listenAddresses());
    byte[] msg = {4, 2};
    assertThat(new RequestResponse(a).callInline(b.peerId(), ECHO, msg, 1024, Duration.ofSeconds(10))
        .get(20, TimeUnit.SECONDS)).isEqualTo(msg);
    assertThat(a.connection(b.peerId())).isPresent();
  }
}
