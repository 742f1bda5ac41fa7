package io.fedsearch.federation.p2p;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * <b>Emulation, for benchmarks and tests only</b>: a one-way delay on every byte a host sends, so that nodes on
 * loopback see a wide-area network. Each write is held for {@code delay} ± a uniform {@code jitter} before it goes
 * to the socket, below Noise and yamux, so every protocol (handshake included) pays it; with both ends delayed, a
 * round trip costs about twice the delay. Bytes keep their order: a write never leaves before an earlier one, so
 * jitter only ever lengthens a delay that would overtake. Off ({@link #NONE}) unless a {@link HostBuilder} is told
 * otherwise; nothing in a running node turns it on. Not a bandwidth model: bytes wait, they are not rate-limited,
 * and what waits is held in memory without bound.
 */
public final class LinkDelay {
  /** No delay: the socket's own stream, untouched. */
  public static final LinkDelay NONE = new LinkDelay(Duration.ZERO, Duration.ZERO);
  /** Longest emulated one-way delay: a minute is no network anyone runs. */
  static final Duration MAX = Duration.ofMinutes(1);

  private final long delayNanos;
  private final long jitterNanos;

  private LinkDelay(Duration delay, Duration jitter) {
    this.delayNanos = delay.toNanos();
    this.jitterNanos = jitter.toNanos();
  }

  /** A one-way {@code delay} with uniform jitter of ± {@code jitter} (at most the delay). */
  public static LinkDelay of(Duration delay, Duration jitter) {
    if (delay.isNegative() || jitter.isNegative() || delay.compareTo(MAX) > 0 || jitter.compareTo(delay) > 0) {
      throw new IllegalArgumentException("link delay: need 0 ≤ jitter ≤ delay ≤ " + MAX.toSeconds() + " s, got "
          + delay.toMillis() + " ms ± " + jitter.toMillis() + " ms");
    }
    return delay.isZero() ? NONE : new LinkDelay(delay, jitter);
  }

  public Duration delay() {
    return Duration.ofNanos(delayNanos);
  }

  public Duration jitter() {
    return Duration.ofNanos(jitterNanos);
  }

  /** {@code out} itself when there is no delay, else a stream that sends each write after the delay. */
  OutputStream wrap(java.net.Socket socket) throws IOException {
    return delayNanos == 0 ? socket.getOutputStream() : new Delayed(socket);
  }

  private long sample() {
    return jitterNanos == 0 ? delayNanos
        : delayNanos + ThreadLocalRandom.current().nextLong(-jitterNanos, jitterNanos + 1);
  }

  /** The delaying stream: writes are queued with their due time; one virtual thread sends them when due. */
  private final class Delayed extends OutputStream {
    private record Chunk(long dueNanos, byte[] bytes) {}

    private static final long IDLE_CHECK_NANOS = 1_000_000_000L;

    private final java.net.Socket socket;
    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private long lastDue = Long.MIN_VALUE;
    private boolean closed;
    private IOException failure;

    Delayed(java.net.Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
      Thread.ofVirtual().name("link-delay").start(this::drain);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return;
      }
      byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
      lock.lock();
      try {
        check();
        long due = System.nanoTime() + sample();
        // never overtake an earlier write: order is the stream's
        due = lastDue != Long.MIN_VALUE && due - lastDue < 0 ? lastDue : due;
        lastDue = due;
        queue.addLast(new Chunk(due, copy));
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** Nothing to do: the sender flushes what it sends. Reports a failure the sender met. */
    @Override
    public void flush() throws IOException {
      lock.lock();
      try {
        check();
      } finally {
        lock.unlock();
      }
    }

    /** Sends what is queued (each when due, within a bound), then closes the socket's stream. */
    @Override
    public void close() throws IOException {
      lock.lock();
      try {
        closed = true;
        changed.signalAll();
        long until = System.nanoTime() + delayNanos + jitterNanos + Duration.ofSeconds(1).toNanos();
        while (!queue.isEmpty() && failure == null && until - System.nanoTime() > 0) {
          changed.awaitNanos(until - System.nanoTime());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
      out.close();
    }

    private void check() throws IOException {
      if (failure != null) {
        throw new IOException("delayed link failed: " + failure.getMessage(), failure);
      }
      if (closed) {
        throw new IOException("stream closed");
      }
    }

    private void drain() {
      try {
        while (true) {
          Chunk c;
          lock.lock();
          try {
            while (queue.isEmpty() && !closed) {
              if (socket.isClosed()) {
                return; // the connection closed the socket itself: nothing more will be written
              }
              changed.awaitNanos(IDLE_CHECK_NANOS);
            }
            if (queue.isEmpty()) {
              return;
            }
            long wait = queue.peekFirst().dueNanos() - System.nanoTime();
            if (wait > 0) {
              changed.awaitNanos(wait); // a later write cannot be due sooner; re-check after waking
              continue;
            }
            c = queue.pollFirst();
          } finally {
            lock.unlock();
          }
          out.write(c.bytes());
          if (nextDueLater()) {
            out.flush();
          }
          lock.lock();
          try {
            changed.signalAll(); // close() waits for the queue to empty
          } finally {
            lock.unlock();
          }
        }
      } catch (IOException e) {
        lock.lock();
        try {
          failure = e;
          queue.clear();
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Whether the next queued write is not yet due (or none is queued): then what was written goes out now. */
    private boolean nextDueLater() {
      lock.lock();
      try {
        Chunk next = queue.peekFirst();
        return next == null || next.dueNanos() - System.nanoTime() > 0;
      } finally {
        lock.unlock();
      }
    }
  }
}
