package io.fedsearch.reputation.service;

import io.fedsearch.reputation.model.InMemoryCreatorDirectory;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Verified CID → creator pairs on their way to {@link ReputationService#putCreators}, written in background batches.
 * A search reports what it verified and returns at once: it never waits for SQLite (nor for another writer holding
 * the database), and many searches' pairs become one transaction.
 *
 * <p>The pairs waiting are bounded ({@link #MAX_PENDING}); past that the oldest is dropped. A dropped pair costs
 * nothing durable: the next search that finds the work reports it again. Pairs that fail validation are skipped
 * alone, so one bad pair cannot lose a batch; a batch the database refuses (busy, failing) is kept and retried with
 * a growing backoff. On close what is waiting is written once more; pairs the database refuses then are lost (later
 * searches report them again).
 */
public final class CreatorBatches implements AutoCloseable {
  /** Pairs waiting at most; the oldest is dropped past it. */
  public static final int MAX_PENDING = 10_000;
  private static final Logger LOG = Logger.getLogger(CreatorBatches.class.getName());
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private final ReputationService reputation;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  /** Signalled on close, to cut a retry's wait short. */
  private final Condition retry = lock.newCondition();
  /** CID → creator waiting to be written, oldest first (guarded by {@link #lock}). */
  private LinkedHashMap<String, String> pending = new LinkedHashMap<>();
  private long dropped;
  private boolean closed;
  /** How long the writer waits before retrying a failed batch (writer thread only). */
  private Duration backoff = FIRST_BACKOFF;
  private final Thread writer;

  CreatorBatches(ReputationService reputation) {
    this.reputation = reputation;
    // A platform thread: SQLite's I/O runs in native code, which would pin a virtual thread anyway.
    this.writer = Thread.ofPlatform().daemon().name("reputation-creators").start(this::run);
  }

  /** Hands over pairs to record; returns at once. */
  public void offer(Map<String, String> cidToCreator) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      for (Map.Entry<String, String> p : cidToCreator.entrySet()) {
        if (pending.containsKey(p.getKey()) || !valid(p.getKey(), p.getValue())) {
          continue; // a CID names one content, so its creator never changes: the first report is the one
        }
        if (pending.size() >= MAX_PENDING) {
          Iterator<String> oldest = pending.keySet().iterator();
          oldest.next();
          oldest.remove();
          dropped++;
        }
        pending.put(p.getKey(), p.getValue());
      }
      if (!pending.isEmpty()) {
        arrived.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Pairs dropped because too many were waiting (since start). */
  public long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  private static boolean valid(String cid, String creator) {
    try {
      InMemoryCreatorDirectory.validate(cid, creator);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void run() {
    while (true) {
      Map<String, String> batch;
      lock.lock();
      try {
        while (pending.isEmpty() && !closed) {
          arrived.awaitUninterruptibly();
        }
        if (pending.isEmpty()) {
          return; // closed, and everything handed over is written
        }
        batch = pending;
        pending = new LinkedHashMap<>();
      } finally {
        lock.unlock();
      }
      try {
        reputation.putCreators(batch);
        backoff = FIRST_BACKOFF;
      } catch (RuntimeException e) {
        // The database is busy (another writer past the busy timeout) or failing: keep the pairs and try again
        // later rather than lose them; what arrives meanwhile still counts against the bound.
        LOG.log(Level.WARNING, "event=creator_batch_failed pairs=" + batch.size() + " retry_ms=" + backoff.toMillis()
            + " error=" + e, e);
        if (!requeue(batch)) {
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }

  /** Puts a failed batch back (before what arrived since) and waits out the backoff; false once closed. */
  private boolean requeue(Map<String, String> batch) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      LinkedHashMap<String, String> next = new LinkedHashMap<>(batch);
      pending.forEach(next::putIfAbsent);
      pending = next;
      while (pending.size() > MAX_PENDING) {
        Iterator<String> oldest = pending.keySet().iterator();
        oldest.next();
        oldest.remove();
        dropped++;
      }
      long nanos = backoff.toNanos();
      while (nanos > 0 && !closed) {
        nanos = retry.awaitNanos(nanos);
      }
      return true;
    } catch (InterruptedException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Writes what is waiting, then stops (waiting a bounded time for the database). */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      arrived.signal();
      retry.signal();
    } finally {
      lock.unlock();
    }
    try {
      writer.join(CLOSE_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
