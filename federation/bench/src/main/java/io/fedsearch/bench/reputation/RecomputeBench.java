package io.fedsearch.bench.reputation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.reputation.model.ReputationConfig;
import io.fedsearch.reputation.score.ScoreEngine;
import io.fedsearch.reputation.score.ScoreResult;
import io.fedsearch.reputation.score.SignalTable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * Times a full recompute of every creator's score from generated signal rows: creators with Zipf-like numbers of
 * rows, releases over platforms × epochs, noisy payer counts and sums. Reports the recompute time, a baseline (one
 * pass summing every row's noisy payers: the memory-bandwidth floor of any recompute), the bytes the recompute
 * allocated, and peak heap.
 */
public final class RecomputeBench {
  private RecomputeBench() {}

  /** Sizes of the generated input. */
  public record Sizes(int creators, int rows, int platforms, int epochs, long seed) {
    public Sizes {
      if (creators < 1 || rows < 1 || platforms < 1 || platforms > 65_536 || epochs < 1 || epochs > 100_000) {
        throw new IllegalArgumentException("bench sizes: creators, rows, platforms (≤ 65536) and epochs must be ≥ 1");
      }
    }
  }

  public static ObjectNode run(Sizes sizes, ReputationConfig config) {
    System.gc();
    long heapBefore = usedHeap();
    long t0 = System.nanoTime();
    SignalTable table = generate(sizes);
    long genMs = (System.nanoTime() - t0) / 1_000_000;
    double[] weights = new double[sizes.platforms()];
    for (int p = 0; p < weights.length; p++) {
      weights[p] = p == 0 ? 1.0 : 1.0 / (1 + p % 7);
    }
    ScoreEngine engine = new ScoreEngine(config);
    // warm-up on the same table (JIT), then the measured runs
    engine.computeAll(table, weights, sizes.epochs() - 1);
    System.gc();
    long baseStart = System.nanoTime();
    double checksum = scanBaseline(table);
    long baselineMs = (System.nanoTime() - baseStart) / 1_000_000;
    System.gc();
    resetPeaks();
    long allocBefore = allocatedBytes();
    long start = System.nanoTime();
    ScoreResult result = engine.computeAll(table, weights, sizes.epochs() - 1);
    long recomputeMs = (System.nanoTime() - start) / 1_000_000;
    long allocated = allocatedBytes() - allocBefore;
    long peak = peakHeap();
    double mean = 0;
    int scored = 0;
    for (float s : result.score()) {
      mean += s;
      scored += s > 0 ? 1 : 0;
    }
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("creators", sizes.creators());
    o.put("rows", table.rows());
    o.put("platforms", sizes.platforms());
    o.put("epochs", sizes.epochs());
    o.put("generate_ms", genMs);
    o.put("recompute_ms", recomputeMs);
    o.put("rows_per_s", Math.round(table.rows() / Math.max(1e-3, recomputeMs / 1000.0)));
    o.put("baseline_scan_ms", baselineMs);
    o.put("baseline_checksum", Math.round(checksum));
    o.put("recompute_allocated_bytes", allocated);
    o.put("allocated_bytes_per_row", Math.round((double) allocated / table.rows() * 100) / 100.0);
    o.put("heap_before_mb", heapBefore >> 20);
    o.put("peak_heap_mb", peak >> 20);
    o.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    o.put("creators_scored", scored);
    o.put("mean_score", Math.round(mean / result.creators() * 100) / 100.0);
    o.put("threads", Runtime.getRuntime().availableProcessors());
    return o;
  }

  /**
   * Generates rows: each row picks a creator with a skewed (≈ Zipf) distribution, a random release, a noisy payer
   * count (true count + discrete noise) and a matching noisy sum.
   */
  static SignalTable generate(Sizes s) {
    SplittableRandom rng = new SplittableRandom(s.seed());
    SignalTable t = new SignalTable(s.rows());
    t.ensureCreators(s.creators());
    int releases = s.platforms() * s.epochs();
    for (int p = 0; p < s.platforms(); p++) {
      for (int e = 0; e < s.epochs(); e++) {
        t.addRelease(p, e, 2.7, 28_000, 25);
      }
    }
    double logC = Math.log(s.creators());
    for (int i = 0; i < s.rows(); i++) {
      // inverse-CDF of a log-uniform rank: creator c is picked with probability ∝ 1/(c+1)
      int creator = (int) Math.min(s.creators() - 1, Math.floor(Math.exp(rng.nextDouble() * logC)) - 1);
      int release = rng.nextInt(releases);
      double payers = 25 + Math.floor(-20 * Math.log(1 - rng.nextDouble())) + (rng.nextInt(7) - 3);
      double sum = payers * (100 + rng.nextInt(9_900)) + (rng.nextInt(40_001) - 20_000);
      t.addRow(Math.max(0, creator), release, payers, sum);
    }
    return t;
  }

  private static double scanBaseline(SignalTable t) {
    // the minimum any recompute must do: touch every row once
    double sum = 0;
    for (int r = 0; r < t.rows(); r++) {
      sum += t.rowPayersForScan(r);
    }
    return sum;
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** Sum over heap pools of their peak usage since the reset (an upper bound on the true peak). */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long allocatedBytes() {
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    if (tm instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
      long total = 0;
      for (long b : sun.getThreadAllocatedBytes(tm.getAllThreadIds())) {
        total += Math.max(0, b);
      }
      return total;
    }
    return -1;
  }
}
