package io.fedsearch.bench.query;

import com.sun.management.OperatingSystemMXBean;
import io.fedsearch.federation.p2p.LinkDelay;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs queries before anything is measured, until the JIT has settled. A federated query crosses a long path —
 * routing, DAG-CBOR, Noise, yamux, ten shards' Lucene searches, verification, merging, a signed page of tokens —
 * which C2 goes on compiling for ten thousand queries and more. Measured earlier, CPU per query counts the
 * compiler's threads (they share the machine's two cores with the query) and the tail counts the code still
 * interpreted: on npm with ten nodes, 1.25 ms of CPU a query after 3,000 queries, 0.33 ms after 12,000, the
 * compiler's time falling from ~1 s per 1,500 queries to ~30 ms. A fixed two passes over the queries measured
 * the warm-up, not fedsearch.
 *
 * <p>Settled means: for {@value #SETTLED_ROUNDS} rounds in a row, the JIT compiled for at most
 * {@value #SETTLED_JIT_SHARE} of the round's process CPU and the CPU per query moved by at most
 * {@value #SETTLED_CHANGE} of the round before. A round has at least {@value #MIN_ROUND_QUERIES} queries, asked one
 * at a time as they are then measured: with sixteen users at once on loopback C2 went on compiling for ~50,000
 * queries (it does settle, at 0.27 ms of CPU a query under that load), and a warm-up stopped early left a
 * sequential query at 0.88 ms of CPU instead of 0.41 (one run each). Over an emulated wide-area link a query waits
 * 2d for the network, so there {@value #WAN_USERS} users ask at once (the cores stay mostly idle all the same).
 * Warming stops at {@link #MAX} whether settled or not, and says so.
 */
final class WarmUp {
  /** {@link FederationBench.Options#warmup()} for "until settled" rather than a number of passes. */
  static final int UNTIL_SETTLED = -1;
  static final int MIN_ROUND_QUERIES = 1_000;
  /** Users asking at once in a round over a wide-area link, where one user's queries are too slow to warm with. */
  static final int WAN_USERS = 16;
  static final double SETTLED_JIT_SHARE = 0.03;
  static final double SETTLED_CHANGE = 0.05;
  /**
   * Quiet, steady rounds in a row that count as settled. Two were not enough: the compiler works in bursts (0 ms in
   * one round, 900 ms in the next, under sixteen users), and two quiet rounds by chance ended a warm-up that was not.
   */
  static final int SETTLED_ROUNDS = 3;
  static final Duration MAX = Duration.ofSeconds(120);

  /**
   * Users to warm up with before measuring with {@code measured} users: as many on loopback, at least
   * {@link #WAN_USERS} over an emulated wide-area link.
   */
  static int users(int measured, LinkDelay link) {
    return link.delay().isZero() ? measured : Math.max(measured, WAN_USERS);
  }

  /** The JIT's total compilation time so far (ms), or 0 where the JVM does not time it. */
  static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  /** What warming took: rounds (or passes), queries asked, seconds, and whether the JIT settled. */
  record Result(int rounds, long queries, double seconds, boolean settled) {}

  private WarmUp() {}

  /**
   * Asks every query {@code passes} times in order, or — {@link #UNTIL_SETTLED} — in rounds until the JIT has
   * settled, {@code users} asking at once. {@code ask} must then be safe to call from that many threads.
   */
  static Result run(int passes, int users, List<String> queries, Consumer<String> ask) throws Exception {
    long start = System.nanoTime();
    if (passes != UNTIL_SETTLED) {
      for (int p = 0; p < passes; p++) {
        queries.forEach(ask);
      }
      return new Result(passes, (long) passes * queries.size(), (System.nanoTime() - start) / 1e9, false);
    }
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
    int perRound = Math.max(MIN_ROUND_QUERIES, queries.size());
    long deadline = start + MAX.toNanos();
    double before = Double.NaN;
    int settledRounds = 0;
    int rounds = 0;
    ExecutorService pool = Executors.newFixedThreadPool(users, Thread.ofPlatform().daemon().factory());
    try {
      while (settledRounds < SETTLED_ROUNDS && System.nanoTime() < deadline) {
        long cpu0 = os.getProcessCpuTime();
        long jit0 = jitTimed ? jit.getTotalCompilationTime() : 0;
        round(pool, users, perRound, queries, ask);
        rounds++;
        double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
        double jitMs = jitTimed ? jit.getTotalCompilationTime() - jit0 : 0;
        double perQuery = cpuMs / perRound;
        boolean quiet = jitMs <= SETTLED_JIT_SHARE * cpuMs;
        boolean steady = Math.abs(perQuery - before) <= SETTLED_CHANGE * before; // false for the first round
        settledRounds = quiet && steady ? settledRounds + 1 : 0;
        before = perQuery;
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(rounds, (long) rounds * perRound, (System.nanoTime() - start) / 1e9,
        settledRounds >= SETTLED_ROUNDS);
  }

  /** {@code total} queries, cycling through {@code queries}, asked by {@code users} users at once. */
  private static void round(ExecutorService pool, int users, int total, List<String> queries, Consumer<String> ask)
      throws Exception {
    AtomicLong next = new AtomicLong();
    List<Future<?>> running = new ArrayList<>(users);
    for (int u = 0; u < users; u++) {
      running.add(pool.submit(() -> {
        for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
          ask.accept(queries.get((int) (i % queries.size())));
        }
      }));
    }
    for (Future<?> f : running) {
      f.get();
    }
  }
}
