package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.PeerId;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the work peers can make this node do at once: at most {@code total} requests served in all and at most
 * {@code perPeer} for any one peer, so a peer that floods this node with searches (it may open hundreds of streams)
 * holds a share of it, never all of it, and honest peers are still answered. A request waits up to {@code maxWait}
 * for its turn; past that it is refused as busy, which its sender counts apart from failures (towards a back-off,
 * not against this node's standing) — an overloaded node sheds load instead of answering everyone late.
 */
final class ServingGate {
  /** The request was not served: this node was busy (the message says which limit). */
  static final class BusyException extends RuntimeException {
    BusyException(String message) {
      super(message);
    }
  }

  private final int perPeer;
  private final int total;
  private final long maxWaitNanos;
  private final Semaphore all;
  private final ConcurrentHashMap<PeerId, Semaphore> byPeer = new ConcurrentHashMap<>();

  ServingGate(int perPeer, int total, Duration maxWait) {
    if (perPeer < 1 || total < perPeer) {
      throw new IllegalArgumentException("need 1 <= perPeer <= total, got " + perPeer + " and " + total);
    }
    this.perPeer = perPeer;
    this.total = total;
    this.maxWaitNanos = maxWait.toNanos();
    this.all = new Semaphore(total, true);
  }

  /** The default for this machine: twice its cores in all (at least 4), half of that for one peer. */
  static ServingGate forThisMachine() {
    int total = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    return new ServingGate(total / 2, total, Duration.ofSeconds(1));
  }

  /** Runs {@code work} for {@code from} once both limits let it; throws {@link BusyException} after the wait. */
  <T> T run(PeerId from, Callable<T> work) throws Exception {
    long deadline = System.nanoTime() + maxWaitNanos;
    Semaphore mine = byPeer.computeIfAbsent(from, p -> new Semaphore(perPeer, true));
    if (!mine.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
      forgetIfIdle(from, mine);
      throw new BusyException("busy: already serving " + perPeer + " requests from " + from);
    }
    try {
      if (!all.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new BusyException("busy: already serving " + total + " requests");
      }
      try {
        return work.call();
      } finally {
        all.release();
      }
    } finally {
      mine.release();
      forgetIfIdle(from, mine);
    }
  }

  /**
   * Drops a peer's counter once nothing of its is served or waiting, so peers that come and go (or a sybil's
   * thousand identities) leave nothing behind. A request racing with the removal may get a fresh counter: the
   * per-peer bound can then be passed by one request for a moment, the total never.
   */
  private void forgetIfIdle(PeerId from, Semaphore mine) {
    if (mine.availablePermits() == perPeer && !mine.hasQueuedThreads()) {
      byPeer.remove(from, mine);
    }
  }

  /** Peers with requests served or waiting now. */
  int peersTracked() {
    return byPeer.size();
  }
}
