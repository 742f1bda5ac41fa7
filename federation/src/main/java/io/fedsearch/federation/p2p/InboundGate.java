package io.fedsearch.federation.p2p;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Admission control for inbound TCP connections: per-IP rate per second, per-IP open count, pending upgrades. */
final class InboundGate {
  private static final int MAX_TRACKED_IPS = 10_000;

  private record Window(long second, int count) {}

  private final Limits limits;
  private final Map<InetAddress, Window> rate = new ConcurrentHashMap<>();
  private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
  private final AtomicInteger pending = new AtomicInteger();

  InboundGate(Limits limits) {
    this.limits = limits;
  }

  /** Null when admitted (the caller must later call {@link #upgraded} and {@link #closed}), else the reason. */
  String admit(InetAddress ip) {
    long sec = System.nanoTime() / 1_000_000_000L;
    if (rate.size() > MAX_TRACKED_IPS) {
      rate.entrySet().removeIf(e -> e.getValue().second() < sec);
    }
    Window w = rate.merge(ip, new Window(sec, 1),
        (old, one) -> old.second() == sec ? new Window(sec, old.count() + 1) : one);
    if (w.count() > limits.inboundPerIpPerSecond()) {
      return "more than " + limits.inboundPerIpPerSecond() + " inbound connections per second from " + ip;
    }
    AtomicInteger n = open.computeIfAbsent(ip, k -> new AtomicInteger());
    if (n.incrementAndGet() > limits.maxConnectionsPerIp()) {
      n.decrementAndGet();
      return "more than " + limits.maxConnectionsPerIp() + " connections from " + ip;
    }
    if (pending.incrementAndGet() > limits.maxPendingUpgrades()) {
      pending.decrementAndGet();
      n.decrementAndGet();
      return "more than " + limits.maxPendingUpgrades() + " pending inbound handshakes";
    }
    return null;
  }

  void upgraded() {
    pending.decrementAndGet();
  }

  void closed(InetAddress ip) {
    AtomicInteger n = open.get(ip);
    if (n != null && n.decrementAndGet() <= 0) {
      open.remove(ip, n);
    }
  }
}
