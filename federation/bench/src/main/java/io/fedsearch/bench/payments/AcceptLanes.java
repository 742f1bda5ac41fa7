package io.fedsearch.bench.payments;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * How the payout benchmarks drive an accept path: items handed out over lanes (threads), each lane owning the
 * channels that hash to it so a channel's claims arrive in order, with up to {@link #IN_FLIGHT} per lane waiting for
 * their group commit; latencies recorded for percentiles.
 */
final class AcceptLanes {
  static final int IN_FLIGHT = 128;

  /** What one run accepted and refused (the first refusal's reason). */
  record Outcome(long ok, long bad, String firstBad) {}

  private AcceptLanes() {}

  /** Submits items {@code 0..n-1}; {@code laneCpu} (may be null) sums the lanes' own CPU time. */
  static Outcome accept(int lanes, int n, IntFunction<String> channelOf, IntFunction<CompletableFuture<?>> submit,
      Latencies lat, AtomicLong laneCpu) {
    AtomicLong ok = new AtomicLong();
    AtomicLong bad = new AtomicLong();
    String[] firstBad = new String[1];
    parallel(lanes, lane -> {
      Semaphore window = new Semaphore(IN_FLIGHT);
      for (int i = 0; i < n; i++) {
        if (Math.floorMod(channelOf.apply(i).hashCode(), lanes) != lane) {
          continue;
        }
        window.acquireUninterruptibly();
        long t0 = System.nanoTime();
        submit.apply(i).whenComplete((r, e) -> {
          lat.add(System.nanoTime() - t0);
          if (e == null) {
            ok.incrementAndGet();
          } else if (bad.incrementAndGet() == 1) {
            firstBad[0] = String.valueOf(e.getCause() == null ? e : e.getCause());
          }
          window.release();
        });
      }
      window.acquireUninterruptibly(IN_FLIGHT); // all of this lane's submissions completed
      if (laneCpu != null) {
        laneCpu.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
      }
    });
    return new Outcome(ok.get(), bad.get(), firstBad[0]);
  }

  /** Runs {@code body} for lanes {@code 0..lanes-1} on their own threads and waits for all; a lane's failure fails. */
  static void parallel(int lanes, IntConsumer body) {
    Thread[] ts = new Thread[lanes];
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < lanes; t++) {
      final int lane = t;
      ts[t] = new Thread(() -> body.accept(lane));
      ts[t].setUncaughtExceptionHandler((th, e) -> failure[0] = e);
      ts[t].start();
    }
    for (Thread t : ts) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    if (failure[0] != null) {
      throw new IllegalStateException("benchmark lane failed: " + failure[0], failure[0]);
    }
  }

  /** Latencies in nanoseconds, for percentiles. */
  static final class Latencies {
    private final long[] v;
    private int n;

    Latencies(int capacity) {
      v = new long[capacity];
    }

    synchronized void add(long nanos) {
      if (n < v.length) {
        v[n++] = nanos;
      }
    }

    /** The {@code q} quantile in milliseconds, two decimals. */
    synchronized double pct(double q) {
      if (n == 0) {
        return 0;
      }
      long[] s = Arrays.copyOf(v, n);
      Arrays.sort(s);
      return Math.round(s[Math.min(n - 1, (int) Math.ceil(q * n) - 1)] / 1e4) / 100.0;
    }
  }
}
