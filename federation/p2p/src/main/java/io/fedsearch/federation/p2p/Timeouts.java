package io.fedsearch.federation.p2p;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Deadlines for calls and delayed actions that wake no thread when they are set or dropped. One thread per process
 * ({@code p2p-timeouts}) looks every {@value #TICK_MILLIS} ms for deadlines that have passed, so one fires at most
 * that much late and never early; when every queued deadline has been dropped it sleeps until the next one is set.
 *
 * <p>Why not {@link CompletableFuture#orTimeout}: its process-wide scheduler wakes its thread whenever a new deadline
 * becomes the earliest it holds, which is every call when calls are made one after another (a dropped deadline is
 * removed, so the next one is the earliest again), and the first call of every fan-out. On a request/response round
 * trip between two hosts that wake-up and the thread going back to sleep were 5.3 of the 11.9 futex system calls a
 * call made ({@code strace -f -c}). Here a dropped deadline stays queued, marked, until its time or a purge, and the
 * thread is told nothing while any deadline is queued.
 *
 * <p>Why not Netty's {@code HashedWheelTimer}, which also sets deadlines without a wake-up: its thread ticks for as
 * long as the process lives, and an idle JVM with its wheel started used 10.5 ms of CPU a second here against 0.5
 * without — 1 % of a core for a node nobody is asking anything.
 *
 * <p>What a deadline runs — failing a future, a hedge — runs on a virtual thread of its own, never on the ticking
 * thread: dependent stages may write to a connection (a stream reset), and one blocked write must not hold up every
 * other deadline.
 */
public final class Timeouts {
  /** How often the thread looks for deadlines that have passed while any is queued: their precision. */
  static final long TICK_MILLIS = 10;
  /** Dropped deadlines are purged from the queue once there are this many and they are most of it. */
  private static final int PURGE_AT = 4096;
  private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE / 4);

  private static final ReentrantLock LOCK = new ReentrantLock();
  private static final Condition QUEUED = LOCK.newCondition();
  private static final PriorityQueue<Deadline> QUEUE = new PriorityQueue<>(); // guarded by LOCK
  private static final AtomicLong DROPPED = new AtomicLong(); // dropped deadlines still queued (a moment behind)
  private static boolean sleeping; // guarded by LOCK: the thread waits for a deadline to be queued
  private static Thread ticker; // guarded by LOCK; started with the first deadline

  private Timeouts() {}

  /**
   * Fails {@code future} with a {@link TimeoutException} unless it completes within {@code timeout}, like
   * {@link CompletableFuture#orTimeout}; returns {@code future}. The deadline is dropped when it completes.
   */
  public static <T> CompletableFuture<T> orTimeout(CompletableFuture<T> future, Duration timeout) {
    if (future.isDone()) {
      return future;
    }
    Cancellable deadline = after(timeout, () ->
        future.completeExceptionally(new TimeoutException("no answer within " + timeout.toMillis() + " ms")));
    future.whenComplete((r, e) -> deadline.cancel());
    return future;
  }

  /** Runs {@code action} on a virtual thread after {@code delay}, unless the returned handle is cancelled first. */
  public static Cancellable after(Duration delay, Runnable action) {
    Deadline d = new Deadline(System.nanoTime() + nanos(delay), action);
    LOCK.lock();
    try {
      QUEUE.add(d);
      if (ticker == null) {
        ticker = Thread.ofPlatform().daemon().name("p2p-timeouts").start(Timeouts::tick);
      } else if (sleeping) {
        sleeping = false;
        QUEUED.signal(); // the only wake-up a deadline causes: the first after a quiet spell
      }
    } finally {
      LOCK.unlock();
    }
    return d;
  }

  /** {@code delay} in nanoseconds, at least 0 and at most ~73 years (so that adding it to nanoTime cannot wrap). */
  private static long nanos(Duration delay) {
    return delay.isNegative() ? 0 : delay.compareTo(LONGEST) > 0 ? LONGEST.toNanos() : delay.toNanos();
  }

  /** Deadlines queued, dropped ones included until they are purged or their time passes (for tests). */
  static int queued() {
    LOCK.lock();
    try {
      return QUEUE.size();
    } finally {
      LOCK.unlock();
    }
  }

  private static void tick() {
    List<Deadline> due = new ArrayList<>();
    while (true) {
      LOCK.lock();
      try {
        while (QUEUE.isEmpty()) {
          sleeping = true;
          QUEUED.awaitUninterruptibly();
        }
        long now = System.nanoTime();
        while (!QUEUE.isEmpty() && QUEUE.peek().at - now <= 0) {
          due.add(QUEUE.poll());
        }
        // Purge dropped deadlines when nothing else is queued (the thread may then sleep instead of ticking until
        // the last of them is due) or when they crowd the queue.
        long dropped = DROPPED.get();
        if (dropped >= QUEUE.size() || QUEUE.size() >= PURGE_AT && dropped > QUEUE.size() / 2) {
          int before = QUEUE.size();
          QUEUE.removeIf(Deadline::dropped);
          DROPPED.addAndGet(QUEUE.size() - before);
        }
      } finally {
        LOCK.unlock();
      }
      for (Deadline d : due) {
        if (d.fire()) {
          Thread.ofVirtual().name("p2p-deadline").start(d.action);
        } else {
          DROPPED.decrementAndGet();
        }
      }
      due.clear();
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        // nothing stops this thread; a deadline is never lost to an interrupt
      }
    }
  }

  /** A delayed action not yet run. */
  @FunctionalInterface
  public interface Cancellable {
    /** Drops the action if it has not started; harmless after it has. */
    void cancel();
  }

  private static final class Deadline implements Comparable<Deadline>, Cancellable {
    private static final int QUEUED_STATE = 0;
    private static final int FIRED = 1;
    private static final int DROPPED_STATE = 2;
    final long at;
    final Runnable action;
    private final AtomicInteger state = new AtomicInteger(QUEUED_STATE);

    Deadline(long at, Runnable action) {
      this.at = at;
      this.action = action;
    }

    @Override
    public void cancel() {
      if (state.compareAndSet(QUEUED_STATE, DROPPED_STATE)) {
        DROPPED.incrementAndGet();
      }
    }

    /** True once, for the thread that gets to run the action. */
    boolean fire() {
      return state.compareAndSet(QUEUED_STATE, FIRED);
    }

    boolean dropped() {
      return state.get() == DROPPED_STATE;
    }

    @Override
    public int compareTo(Deadline o) {
      return Long.compare(at - o.at, 0); // nanoTime order, safe across its wrap-around
    }
  }
}
