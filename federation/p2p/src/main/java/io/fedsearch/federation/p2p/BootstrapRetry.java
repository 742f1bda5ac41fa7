package io.fedsearch.federation.p2p;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Dials the configured bootstrap peers again whenever the host is alone — no connection open — backing off from
 * {@link #FIRST} to {@link #LONGEST} between attempts. A bootstrap dial fails for reasons that pass: the bootstrap
 * peer busy (it refuses more than a few pending handshakes from one address, so nodes starting together on one
 * machine can be turned away), restarting, or the network down. Dialled once at start only, such a node stayed
 * alone until some other node dialled it.
 *
 * <p>{@link #run} is the check, on the host's timer every second; an attempt runs on a thread of its own, so the
 * timer never waits for a peer, and never two at once (the start's attempt included, through {@link #attempt}).
 */
final class BootstrapRetry implements Runnable {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration LONGEST = Duration.ofMinutes(1);

  private final BooleanSupplier alone;
  private final Runnable dial;
  private final AtomicBoolean dialling = new AtomicBoolean();
  /** Confined to the timer thread. */
  private long delayNanos = FIRST.toNanos();
  private long nextNanos = System.nanoTime() + FIRST.toNanos();

  /**
   * @param alone whether the host has no open connection
   * @param dial dials the bootstrap peers and bootstraps the DHT; returns when done
   */
  BootstrapRetry(BooleanSupplier alone, Runnable dial) {
    this.alone = alone;
    this.dial = dial;
  }

  @Override
  public void run() {
    if (!alone.getAsBoolean()) {
      delayNanos = FIRST.toNanos(); // connected: the next time it is alone, it tries again soon
      nextNanos = System.nanoTime();
      return;
    }
    long now = System.nanoTime();
    if (now - nextNanos < 0) {
      return;
    }
    if (attempt(dial)) {
      nextNanos = now + delayNanos;
      delayNanos = Math.min(delayNanos * 2, LONGEST.toNanos());
    }
  }

  /** Runs {@code work} on a thread of its own unless an attempt is under way; says whether it started. */
  boolean attempt(Runnable work) {
    if (!dialling.compareAndSet(false, true)) {
      return false;
    }
    Thread.ofVirtual().name("p2p-bootstrap").start(() -> {
      try {
        work.run();
      } finally {
        dialling.set(false);
      }
    });
    return true;
  }
}
