package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.federation.p2p.protocol.Ping;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.core.keys.NodeKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The emulated wide-area link (bench only): with both ends delaying what they send by d, a ping round trip takes at
 * least 2(d − jitter), and bytes arrive whole and in order (a reordered or lost byte would fail Noise decryption or
 * change the echoed message). Only lower bounds are asserted: a loaded machine adds time, never removes it.
 */
@Timeout(120)
class LinkDelayTest {
  private static final String ECHO = "/test/echo/1";
  private final List<Host> hosts = new ArrayList<>();

  private Host host(LinkDelay delay) throws Exception {
    Host h = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).emulateLinkDelay(delay)
        .build();
    new RequestResponse(h).handle(ECHO, 8 << 20, (from, req) -> req);
    h.start();
    hosts.add(h);
    return h;
  }

  @AfterEach
  void close() {
    hosts.forEach(Host::close);
  }

  @Test
  void aRoundTripTakesTwiceTheOneWayDelayAndBytesStayInOrder() throws Exception {
    LinkDelay link = LinkDelay.of(Duration.ofMillis(40), Duration.ofMillis(10));
    Host a = host(link);
    Host b = host(link);
    Connection c = a.dial(b.listenAddresses().getFirst());
    for (Duration rtt : Ping.ping(c, 5, Duration.ofSeconds(30))) {
      assertThat(rtt).isGreaterThanOrEqualTo(Duration.ofMillis(2 * (40 - 10)));
    }
    RequestResponse rr = new RequestResponse(a);
    Random random = new Random(3);
    for (int size : new int[] {1, 70_000, 2 << 20}) {
      byte[] msg = new byte[size];
      random.nextBytes(msg);
      long t0 = System.nanoTime();
      byte[] back = rr.call(b.peerId(), ECHO, msg, 8 << 20, Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);
      assertThat(back).isEqualTo(msg);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(60));
    }
  }

  @Test
  void offByDefaultAndBounded() throws Exception {
    assertThat(LinkDelay.of(Duration.ZERO, Duration.ZERO)).isSameAs(LinkDelay.NONE);
    Host plain = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build();
    hosts.add(plain);
    assertThat(plain.linkDelay()).isSameAs(LinkDelay.NONE);
    assertThatThrownBy(() -> LinkDelay.of(Duration.ofMillis(10), Duration.ofMillis(11)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LinkDelay.of(Duration.ofMinutes(2), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
