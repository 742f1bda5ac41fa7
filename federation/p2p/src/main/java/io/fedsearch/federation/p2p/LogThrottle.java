package io.fedsearch.federation.p2p;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * At most one log line per interval for a kind of event a peer can cause at will (refused connections, malformed
 * streams): a flood of them must not become a flood of log lines. The line that is written says how many were
 * left out since the last one.
 */
final class LogThrottle {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  LogThrottle(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  void log(Level level, String message) {
    if (!log.isLoggable(level)) {
      return;
    }
    long now = System.nanoTime();
    long due = next.get();
    if ((due != Long.MIN_VALUE && now - due < 0) || !next.compareAndSet(due, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long left = suppressed.getAndSet(0);
    log.log(level, left == 0 ? message : message + " (and " + left + " more like it since the last logged)");
  }
}
