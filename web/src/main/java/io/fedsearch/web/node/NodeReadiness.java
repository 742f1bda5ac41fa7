package io.fedsearch.web.node;

import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.mss.Multistream;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Whether a node can do its work, checked by doing it rather than by flags: the index takes writes, the payments
 * journal commits (a real group commit, under a deadline), and the libp2p host accepts a connection and negotiates
 * on it (multistream-select of {@code /noise} over a fresh TCP connection to its own listen address). A node whose
 * p2p threads died of memory exhaustion still has its listen socket and its running flag; only a real exchange
 * shows it no longer answers.
 *
 * <p>Each check keeps its last result for {@link #CACHE}: readiness is polled by anyone (it is public, like
 * {@code /health}), and one probe connection every few seconds is all the p2p side should see of it.
 */
public final class NodeReadiness {
  /** How long a check's result stands before it is run again. */
  public static final Duration CACHE = Duration.ofSeconds(2);
  /** Longest a probe may take: a node that needs longer to answer its own readiness check is not ready. */
  public static final Duration DEADLINE = Duration.ofSeconds(3);

  private final RunningNode node;

  public NodeReadiness(RunningNode node) {
    this.node = node;
  }

  /** The readiness checks, for the health observer ({@code /health/ready}, and part of {@code /health}). */
  public List<HealthCheck> checks() {
    return List.of(check("index", this::index), check("journal", this::journal), check("p2p", this::p2p));
  }

  private HealthCheckResponse index() {
    boolean ok = node.local().index().isWritable();
    return HealthCheckResponse.builder().status(ok).detail("writable", ok)
        .detail("entries", ok ? node.local().index().entryCount() : -1).build();
  }

  private HealthCheckResponse journal() {
    try {
      // An empty write goes through the committer thread and a real commit: a dead committer or a database
      // that no longer commits times out or fails here.
      node.payments().db().submit(c -> { }).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      return HealthCheckResponse.builder().status(true).detail("commits", true).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down("interrupted");
    } catch (Exception e) {
      return down("payments journal does not commit: " + e);
    }
  }

  private HealthCheckResponse p2p() {
    if (!node.host().isRunning()) {
      return down("libp2p host stopped");
    }
    List<Multiaddr> addrs = node.host().listenAddresses();
    for (Multiaddr a : addrs) {
      InetSocketAddress target;
      try {
        target = a.socketAddress();
      } catch (IOException | RuntimeException e) {
        continue; // an announce address we cannot dial directly
      }
      try (Socket s = new Socket()) {
        s.connect(target, (int) DEADLINE.toMillis());
        s.setSoTimeout((int) DEADLINE.toMillis());
        Multistream.select(s.getInputStream(), s.getOutputStream(), "/noise");
        return HealthCheckResponse.builder().status(true).detail("listening", a.toString()).build();
      } catch (IOException e) {
        return down("libp2p listener " + a + " does not negotiate: " + e.getMessage());
      }
    }
    return down("libp2p host has no listen address");
  }

  private static HealthCheckResponse down(String why) {
    return HealthCheckResponse.builder().status(false).detail("error", why).build();
  }

  private static HealthCheck check(String name, Supplier<HealthCheckResponse> probe) {
    return new Cached(name, probe);
  }

  /** A readiness check whose result is reused for {@link #CACHE}; concurrent callers share one probe. */
  private static final class Cached implements HealthCheck {
    private final String name;
    private final Supplier<HealthCheckResponse> probe;
    private HealthCheckResponse last; // guarded by probing
    private long lastNanos; // guarded by probing
    private final java.util.concurrent.locks.ReentrantLock probing = new java.util.concurrent.locks.ReentrantLock();

    Cached(String name, Supplier<HealthCheckResponse> probe) {
      this.name = name;
      this.probe = probe;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public HealthCheckType type() {
      return HealthCheckType.READINESS;
    }

    @Override
    public HealthCheckResponse call() {
      probing.lock(); // not a monitor: the probe writes to the journal and the disk
      try {
        long now = System.nanoTime();
        if (last == null || now - lastNanos > CACHE.toNanos()) {
          try {
            last = probe.get();
          } catch (RuntimeException e) {
            last = down(e.toString());
          }
          lastNanos = System.nanoTime();
        }
        return last;
      } finally {
        probing.unlock();
      }
    }
  }
}
