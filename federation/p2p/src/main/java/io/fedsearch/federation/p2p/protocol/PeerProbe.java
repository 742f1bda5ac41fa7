package io.fedsearch.federation.p2p.protocol;

import io.fedsearch.federation.p2p.Connection;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.core.keys.NodeKey;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Dials any libp2p peer from a throwaway identity, pings it and asks identify: {@code fedsearch p2p ping}. */
public final class PeerProbe {
  /** What the probe saw. */
  public record Result(PeerId peerId, Multiaddr address, boolean earlyMuxer, Duration setup, List<Duration> rtts,
      IdentifyMessage identify) {}

  private PeerProbe() {}

  public static Result probe(Multiaddr address, int count, Duration timeout) throws IOException {
    try (Host host = Host.builder(NodeKey.generate()).dht(false).build()) {
      host.start();
      long t0 = System.nanoTime();
      Connection c = host.dial(address);
      Duration setup = Duration.ofNanos(System.nanoTime() - t0);
      List<Duration> rtts = List.of(Ping.ping(c, count, timeout));
      IdentifyMessage id = Identify.request(c, timeout);
      return new Result(c.remotePeer(), c.remoteAddress(), c.usedEarlyMuxer(), setup, rtts, id);
    }
  }
}
