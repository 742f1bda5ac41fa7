package io.fedsearch.federation.p2p;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Deadlines for calls and delayed actions, kept on one hashed timer wheel per process (Netty's
 * {@link HashedWheelTimer}): setting or cancelling a deadline puts it on a queue and wakes no thread; the wheel's
 * thread looks every {@value #TICK_MILLIS} ms, so a deadline fires up to that much late.
 *
 * <p>Why not {@link CompletableFuture#orTimeout}: its process-wide scheduler wakes its thread whenever a new deadline
 * becomes the earliest it holds, which is every call when calls are made one after another, and the first call of
 * every fan-out. On a request/response round trip between two hosts that wake-up and the thread's going back to
 * sleep were 5.3 of the 11.7 futex system calls the call made ({@code strace -f -c}); at tens of microseconds a
 * round trip, a deadline that is almost never reached cost a fifth of the call.
 *
 * <p>What a deadline runs — failing a future, a hedge — runs on a virtual thread of its own, never on the wheel's
 * thread: dependent stages may write to a connection (a stream reset), and one blocked write must not hold up every
 * other deadline.
 */
public final class Timeouts {
  /** How often the wheel looks for deadlines that have passed: their precision. */
  static final long TICK_MILLIS = 10;
  /** Slots of the wheel: one turn is 5.12 s; a longer deadline waits for its turn on the same slot. */
  private static final int TICKS_PER_WHEEL = 512;
  private static final HashedWheelTimer WHEEL = new HashedWheelTimer(
      Thread.ofPlatform().daemon().name("p2p-timeouts").factory(), TICK_MILLIS, TimeUnit.MILLISECONDS,
      TICKS_PER_WHEEL, false);

  private Timeouts() {}

  /**
   * Fails {@code future} with a {@link TimeoutException} unless it completes within {@code timeout}, like
   * {@link CompletableFuture#orTimeout}; returns {@code future}. The deadline is dropped when it completes.
   */
  public static <T> CompletableFuture<T> orTimeout(CompletableFuture<T> future, Duration timeout) {
    if (future.isDone()) {
      return future;
    }
    Timeout deadline = WHEEL.newTimeout(t -> Thread.ofVirtual().name("p2p-timeout").start(() ->
        future.completeExceptionally(new TimeoutException("no answer within " + timeout.toMillis() + " ms"))),
        timeout.toNanos(), TimeUnit.NANOSECONDS);
    future.whenComplete((r, e) -> deadline.cancel());
    return future;
  }

  /** Runs {@code action} on a virtual thread after {@code delay}, unless the returned handle is cancelled first. */
  public static Cancellable after(Duration delay, Runnable action) {
    Timeout t = WHEEL.newTimeout(x -> Thread.ofVirtual().name("p2p-delayed").start(action), delay.toNanos(),
        TimeUnit.NANOSECONDS);
    return t::cancel;
  }

  /** A delayed action not yet run. */
  @FunctionalInterface
  public interface Cancellable {
    /** Drops the action if it has not started; harmless after it has. */
    void cancel();
  }
}
