package io.fedsearch.federation.p2p;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control for inbound TCP connections: per-source rate per second, per-source open count, and pending
 * upgrades, globally and per source. A source is an IPv4 address or an IPv6 /64 (one customer's prefix: a host
 * given a /64 has 2^64 addresses to rotate through). One source may hold only {@code 1/}{@value #PER_IP_SHARE} of
 * the pending-handshake slots, so a single address that opens handshakes and never finishes them cannot fill the
 * cap and lock every other peer out.
 */
final class InboundGate {
  /** One source's share of the pending handshakes: at most {@code maxPendingUpgrades / PER_IP_SHARE} (≥ 1). */
  static final int PER_IP_SHARE = 8;
  private static final int MAX_TRACKED_IPS = 10_000;

  private record Window(long second, int count) {}

  private final Limits limits;
  private final int pendingPerSource;
  private final Map<InetAddress, Window> rate = new ConcurrentHashMap<>();
  private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
  private final Map<InetAddress, AtomicInteger> pendingBySource = new ConcurrentHashMap<>();
  private final AtomicInteger pending = new AtomicInteger();

  InboundGate(Limits limits) {
    this.limits = limits;
    this.pendingPerSource = Math.max(1, limits.maxPendingUpgrades() / PER_IP_SHARE);
  }

  /** The address the limits count by: the address itself for IPv4, its /64 for IPv6. */
  static InetAddress source(InetAddress ip) {
    if (!(ip instanceof Inet6Address)) {
      return ip;
    }
    byte[] b = Arrays.copyOf(ip.getAddress(), 16);
    Arrays.fill(b, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // 16 bytes are always an address
    }
  }

  /**
   * Null when admitted (the caller must later call {@link #upgraded} once and {@link #closed} once), else the
   * reason.
   */
  String admit(InetAddress ip) {
    InetAddress src = source(ip);
    long sec = System.nanoTime() / 1_000_000_000L;
    if (rate.size() > MAX_TRACKED_IPS) {
      rate.entrySet().removeIf(e -> e.getValue().second() < sec);
    }
    Window w = rate.merge(src, new Window(sec, 1),
        (old, one) -> old.second() == sec ? new Window(sec, old.count() + 1) : one);
    if (w.count() > limits.inboundPerIpPerSecond()) {
      return "more than " + limits.inboundPerIpPerSecond() + " inbound connections per second from " + src;
    }
    AtomicInteger n = open.computeIfAbsent(src, k -> new AtomicInteger());
    if (n.incrementAndGet() > limits.maxConnectionsPerIp()) {
      n.decrementAndGet();
      return "more than " + limits.maxConnectionsPerIp() + " connections from " + src;
    }
    AtomicInteger mine = pendingBySource.computeIfAbsent(src, k -> new AtomicInteger());
    if (mine.incrementAndGet() > pendingPerSource) {
      release(src, mine);
      n.decrementAndGet();
      return "more than " + pendingPerSource + " pending handshakes from " + src;
    }
    if (pending.incrementAndGet() > limits.maxPendingUpgrades()) {
      pending.decrementAndGet();
      release(src, mine);
      n.decrementAndGet();
      return "more than " + limits.maxPendingUpgrades() + " pending inbound handshakes";
    }
    return null;
  }

  /** The handshake of a connection from {@code ip} ended, upgraded or not. */
  void upgraded(InetAddress ip) {
    pending.decrementAndGet();
    InetAddress src = source(ip);
    AtomicInteger mine = pendingBySource.get(src);
    if (mine != null) {
      release(src, mine);
    }
  }

  private void release(InetAddress src, AtomicInteger counter) {
    if (counter.decrementAndGet() <= 0) {
      pendingBySource.remove(src, counter);
    }
  }

  void closed(InetAddress ip) {
    InetAddress src = source(ip);
    AtomicInteger n = open.get(src);
    if (n != null && n.decrementAndGet() <= 0) {
      open.remove(src, n);
    }
  }
}
