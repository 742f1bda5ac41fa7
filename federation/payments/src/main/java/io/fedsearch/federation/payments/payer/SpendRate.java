package io.fedsearch.federation.payments.payer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How fast one channel's cumulative total grows: drops per second over the last spend window, what was spent in it
 * over its length (over the channel's age while that is shorter). Not over the span of the claims in it: a burst
 * after a quiet hour would then read as if it went on for the whole top-up horizon, and a channel idle for a day
 * would keep the rate of its last two claims. Not thread-safe: its channel's lock guards it.
 */
final class SpendRate {
  private final long openedAtMillis;
  private final long windowMillis;
  /** {epochMillis, authorised}: the last one at or before the window's start, then every claim since. */
  private final Deque<long[]> samples = new ArrayDeque<>();

  SpendRate(long openedAtMillis, Duration window) {
    this.openedAtMillis = openedAtMillis;
    this.windowMillis = window.toMillis();
  }

  /** The cumulative total was {@code authorised} at {@code atMillis}. */
  void record(long atMillis, long authorised) {
    samples.addLast(new long[] {atMillis, authorised});
    trim(atMillis);
  }

  double perSecond(long nowMillis) {
    trim(nowMillis);
    if (samples.size() < 2) {
      return 0;
    }
    long spent = samples.peekLast()[1] - samples.peekFirst()[1];
    long over = Math.max(1, Math.min(windowMillis, nowMillis - openedAtMillis));
    return spent * 1000.0 / over;
  }

  /** Drops the samples before the window but the last of them: that one is what had been spent when it began. */
  private void trim(long nowMillis) {
    long cutoff = nowMillis - windowMillis;
    long[] base = samples.pollFirst();
    while (!samples.isEmpty() && samples.peekFirst()[0] <= cutoff) {
      base = samples.pollFirst();
    }
    if (base != null) {
      samples.addFirst(base);
    }
  }
}
