package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.federation.p2p.mux.YamuxFrame;
import io.fedsearch.federation.p2p.protocol.Ping;
import io.fedsearch.federation.p2p.wire.LengthPrefixed;
import io.fedsearch.core.keys.NodeKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live-session fuzzing: secured connections that send mutated yamux frame sequences (headers and payloads) into a
 * running host. Each session may end however the host decides; the host must stay up and keep serving.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class YamuxSessionFuzzTest {
  @Test
  void mutatedFrameSequencesNeverTakeTheHostDown() throws Exception {
    Limits relaxed = Limits.defaults().withInboundPerIpPerSecond(100_000).withMaxConnections(1000, 1000);
    try (Host h = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).limits(relaxed)
        .build()) {
      h.addProtocolHandler("/echo/1", s -> s.out().write(s.in().readNBytes(64)));
      h.start();
      Mutator m = new Mutator(31);
      ByteArrayOutputStream mss = new ByteArrayOutputStream();
      mss.writeBytes(LengthPrefixed.frame("/multistream/1.0.0\n".getBytes()));
      mss.writeBytes(LengthPrefixed.frame("/echo/1\n".getBytes()));
      byte[][] valid = {
        frame(YamuxFrame.DATA, YamuxFrame.SYN, 1, mss.toByteArray()),
        frame(YamuxFrame.DATA, 0, 1, new byte[64]),
        frame(YamuxFrame.WINDOW_UPDATE, 0, 1, 4096),
        frame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.FIN, 1, 0),
        frame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.RST, 3, 0),
        frame(YamuxFrame.PING, YamuxFrame.SYN, 0, 5),
        frame(YamuxFrame.DATA, YamuxFrame.SYN | YamuxFrame.FIN, 5, new byte[] {1, 2, 3}),
      };
      int sessions = 150;
      int frames = 0;
      for (int s = 0; s < sessions; s++) {
        try (RawClient c = new RawClient(h.listenAddresses().get(0)).secure()) {
          for (int f = 0; f < 12; f++) {
            byte[] raw = valid[m.random().nextInt(valid.length)];
            c.channel.write(m.random().nextInt(3) == 0 ? raw : m.mutate(raw));
            frames++;
          }
        } catch (IOException endedByHost) {
          // the host closed the session: that is its answer to a protocol error
        }
      }
      System.out.println("fuzz yamux-session: " + sessions + " sessions, " + frames + " frames");
      try (Host probe = Host.builder(NodeKey.generate()).dht(false).build()) {
        probe.start();
        assertThat(Ping.ping(probe.dial(h.listenAddresses().get(0)), 2, Duration.ofSeconds(5))).hasSize(2);
      }
      // fuzzed sessions were all torn down
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertThat(h.allConnections()).hasSizeLessThanOrEqualTo(1));
    }
  }

  static byte[] frame(int type, int flags, int id, byte[] data) {
    byte[] h = new YamuxFrame(type, flags, id, data.length).encode();
    byte[] out = new byte[h.length + data.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(data, 0, out, h.length, data.length);
    return out;
  }

  static byte[] frame(int type, int flags, int id, long length) {
    return new YamuxFrame(type, flags, id, length).encode();
  }
}
