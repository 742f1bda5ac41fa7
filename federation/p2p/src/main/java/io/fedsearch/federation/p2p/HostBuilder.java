package io.fedsearch.federation.p2p;

import io.fedsearch.federation.p2p.kad.KadConfig;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Configuration of a {@link Host}; {@link #build()} creates it (not yet started). */
public final class HostBuilder {
  final NodeKey key;
  final List<Multiaddr> listen = new ArrayList<>();
  final List<Multiaddr> announce = new ArrayList<>();
  final List<Multiaddr> bootstrap = new ArrayList<>();
  Path dataDir;
  Limits limits = Limits.defaults();
  boolean earlyMuxer = true;
  boolean dhtEnabled = true;
  KadConfig kad = KadConfig.defaults();
  String agentVersion = Host.AGENT;
  LinkDelay linkDelay = LinkDelay.NONE;

  HostBuilder(NodeKey key) {
    this.key = Objects.requireNonNull(key, "key");
  }

  /** A TCP listen address such as {@code /ip4/0.0.0.0/tcp/4001} (port 0 picks a free port). */
  public HostBuilder listen(Multiaddr... addrs) {
    for (Multiaddr a : addrs) {
      if (!a.isTcp()) {
        throw new IllegalArgumentException("listen address must be /ip4|ip6/…/tcp/…: " + a);
      }
      listen.add(a);
    }
    return this;
  }

  public HostBuilder listen(String... addrs) {
    for (String a : addrs) {
      listen(Multiaddr.parse(a));
    }
    return this;
  }

  /** Extra addresses to advertise (e.g. a public address in front of NAT). */
  public HostBuilder announce(Collection<Multiaddr> addrs) {
    announce.addAll(addrs);
    return this;
  }

  /** Peers to dial on start ({@code /…/tcp/…/p2p/<id>}); they seed the DHT routing table. */
  public HostBuilder bootstrap(Collection<Multiaddr> addrs) {
    bootstrap.addAll(addrs);
    return this;
  }

  /** Directory for {@code peers.txt} (the node directory); null keeps peers in memory only. */
  public HostBuilder dataDir(Path dir) {
    this.dataDir = dir;
    return this;
  }

  public HostBuilder limits(Limits limits) {
    this.limits = Objects.requireNonNull(limits);
    return this;
  }

  /** Offer yamux inside the Noise handshake (default true); false always negotiates it with multistream-select. */
  public HostBuilder earlyMuxer(boolean offer) {
    this.earlyMuxer = offer;
    return this;
  }

  public HostBuilder dht(boolean enabled) {
    this.dhtEnabled = enabled;
    return this;
  }

  public HostBuilder kad(KadConfig config) {
    this.kad = Objects.requireNonNull(config);
    return this;
  }

  public HostBuilder agentVersion(String agent) {
    this.agentVersion = agent;
    return this;
  }

  /**
   * Emulates a wide-area link (benchmarks and tests only; see {@link LinkDelay}): everything this host sends waits
   * the delay first. Off by default.
   */
  public HostBuilder emulateLinkDelay(LinkDelay delay) {
    this.linkDelay = Objects.requireNonNull(delay);
    return this;
  }

  public Host build() {
    return new Host(this);
  }
}
