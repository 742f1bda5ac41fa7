package io.fedsearch.bench.attack;

import io.fedsearch.reputation.score.SignalTable;
import java.util.HashMap;
import java.util.Map;

/**
 * The privacy release's creator unit as the harness simulates it: per platform, one row per creator whose counts are
 * the running total over the release's window, built by continual release over dyadic trees of 2^(levels-1) epochs
 * (the binary mechanism, as the privacy module's {@code EpochTree}). One tree node is drawn when it closes: its true
 * distinct payers (genuine buyers are new each epoch; an attack's identities count once per node) plus discrete
 * Laplace noise, and its sum with the payers' drops clamped at C per node. A creator becomes public the first time a
 * node's noisy count reaches τ; from then on every node carries its value, and a release at epoch E is the sum of
 * the nodes of its window (the previous tree's root, if any, and the nodes for the set bits of E's position in its
 * tree). A lying platform publishes its fabricated numbers instead, with no noise, threshold or window.
 */
final class CreatorUnitRelease {
  private final HarnessConfig hc;
  private final SimulatedNoise payerNoise;
  private final SimulatedNoise sumNoise;
  /** Whole trees before simulated epoch 0, so the first releases already have a previous tree in their window. */
  private static final long OFFSET_TREES = 2;

  private final long span;

  CreatorUnitRelease(HarnessConfig hc, SimulatedNoise payerNoise, SimulatedNoise sumNoise) {
    this.hc = hc;
    this.payerNoise = payerNoise;
    this.sumNoise = sumNoise;
    this.span = 1L << (hc.treeLevels() - 1);
  }

  /** The last (simulated) epoch of each tree node in the window of the release at epoch {@code e}, from 0 on. */
  int[] nodeEnds(int e) {
    long v = OFFSET_TREES * span + e;
    long tStart = v - Math.floorMod(v, span);
    java.util.List<Long> ends = new java.util.ArrayList<>();
    ends.add(tStart - 1);
    long pos = v - tStart + 1;
    long at = tStart;
    for (long bit = Long.highestOneBit(pos); bit > 0; bit >>>= 1) {
      if ((pos & bit) != 0) {
        at += bit;
        ends.add(at - 1);
      }
    }
    return ends.stream().mapToLong(x -> x - OFFSET_TREES * span).filter(x -> x >= 0).mapToInt(x -> (int) x)
        .toArray();
  }

  /**
   * Adds platform {@code p}'s creator rows for one creator (as creator 0 of {@code t}) from its per-epoch true values:
   * genuine payers and drops, an attack's identities and their drops, and the epochs a lying platform fabricates.
   */
  void addRows(SignalTable t, int p, long creatorSeed, long[] honestPayers, long[] honestDrops, long[] identities,
      long[] drops, boolean[] fabricated) {
    int epochs = honestPayers.length;
    for (int e = 0; e < epochs; e++) {
      if (fabricated[e]) {
        t.addRow(0, t.addCreatorRelease(p, e, 1, 1, 0, 0, 0), identities[e], drops[e]);
      }
    }
    Map<Long, double[]> nodes = new HashMap<>();
    boolean known = false;
    for (int e = 0; e < epochs; e++) {
      if (fabricated[e]) {
        continue;
      }
      // Real epochs are days since 1970: every release has a previous tree, so its window spans span..2·span-1
      // epochs. Simulated epoch e is epoch 2·span + e; the epochs before 0 had no sales.
      long v = OFFSET_TREES * span + e;
      long tStart = v - Math.floorMod(v, span);
      long len = Long.lowestOneBit(v - tStart + 1);
      long start = v - len + 1;
      long payers = 0;
      long sum = 0;
      long ids = 0;
      long idDrops = 0;
      for (long x = Math.max(start, OFFSET_TREES * span) - OFFSET_TREES * span; x <= e; x++) {
        payers += honestPayers[(int) x];
        sum += honestDrops[(int) x];
        ids = Math.max(ids, identities[(int) x]);
        idDrops += drops[(int) x];
      }
      payers += ids;
      sum += Math.min(idDrops, ids * hc.maxDropsPerCreator());
      if (payers > 0 || known) {
        long cell = Hashing.mix(hc.seed(), creatorSeed * 131 + p, start * 64 + Long.numberOfTrailingZeros(len));
        long noisyPayers = payers + payerNoise.sample(Hashing.mix(cell, 1));
        if (known || noisyPayers >= hc.partitionThreshold()) {
          known = true;
          nodes.put(start * 64 + Long.numberOfTrailingZeros(len),
              new double[] {noisyPayers, sum + sumNoise.sample(Hashing.mix(cell, 2))});
        }
      }
      if (!known) {
        continue;
      }
      double n = 0;
      double s = 0;
      int drawn = 0;
      long windowStart = tStart - span;
      double[] prev = nodes.get(windowStart * 64 + Long.numberOfTrailingZeros(span));
      if (prev != null) {
        n += prev[0];
        s += prev[1];
        drawn++;
      }
      long pos = v - tStart + 1;
      long at = tStart;
      for (long bit = Long.highestOneBit(pos); bit > 0; bit >>>= 1) {
        if ((pos & bit) != 0) {
          double[] node = nodes.get(at * 64 + Long.numberOfTrailingZeros(bit));
          if (node != null) {
            n += node[0];
            s += node[1];
            drawn++;
          }
          at += bit;
        }
      }
      double root = Math.sqrt(Math.max(1, drawn));
      int windowNodes = 1 + Long.bitCount(pos);
      int rel = t.addCreatorRelease(p, e, (int) (v - windowStart + 1), windowNodes, root * payerNoise.stddev(),
          root * sumNoise.stddev(), hc.partitionThreshold());
      t.addRow(0, rel, n, s);
    }
  }
}
