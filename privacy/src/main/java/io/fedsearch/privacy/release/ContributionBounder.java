package io.fedsearch.privacy.release;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Contribution bounding, the step that makes sensitivities finite: each payer counts toward at most L CIDs in an
 * epoch (when they paid for more, L of them are chosen uniformly at random with the {@link SecureRandom}, so the
 * choice reveals nothing), and toward each CID's sum with at most C drops (their epoch total for that CID,
 * clamped). After bounding, adding or removing one payer changes at most L payer counts by 1 and at most L sums by
 * at most C: L1 sensitivity L (counts) and L·C (sums), L2 sensitivity √L and √L·C.
 */
public final class ContributionBounder {
  private final int maxCidsPerPayer;
  private final long maxDropsPerCid;

  public ContributionBounder(int maxCidsPerPayer, long maxDropsPerCid) {
    this.maxCidsPerPayer = maxCidsPerPayer;
    this.maxDropsPerCid = maxDropsPerCid;
  }

  /** Bounded totals per CID of a set of payments. */
  public SortedMap<String, CidAggregate> bound(Iterable<Contribution> contributions, SecureRandom rng) {
    Map<String, Integer> cidIndex = new HashMap<>();
    List<String> cids = new ArrayList<>();
    Map<String, List<long[]>> byPayer = new HashMap<>();
    for (Contribution c : contributions) {
      int idx = cidIndex.computeIfAbsent(c.key(), k -> {
        cids.add(k);
        return cids.size() - 1;
      });
      byPayer.computeIfAbsent(c.payer(), k -> new ArrayList<>()).add(new long[] {idx, c.drops()});
    }
    Totals totals = totals(cids.size());
    int[] ci = new int[16];
    long[] dr = new long[16];
    for (List<long[]> payments : byPayer.values()) {
      int n = payments.size();
      if (ci.length < n) {
        ci = new int[n];
        dr = new long[n];
      }
      for (int i = 0; i < n; i++) {
        ci[i] = (int) payments.get(i)[0];
        dr[i] = payments.get(i)[1];
      }
      totals.addPayer(ci, dr, n, rng);
    }
    return totals.toAggregates(cids);
  }

  /** Running totals over a fixed universe of {@code cids} CIDs (indices 0..cids-1), fed one payer at a time. */
  public Totals totals(int cids) {
    return new Totals(cids);
  }

  /** Bounded per-CID totals accumulated payer by payer. */
  public final class Totals {
    private final long[] payers;
    private final long[] drops;
    private int[] uniq = new int[16];
    private long[] sums = new long[16];

    private Totals(int cids) {
      payers = new long[cids];
      drops = new long[cids];
    }

    /**
     * Adds one payer's payments of the epoch: {@code n} pairs (CID index, drops), CIDs may repeat. Merges repeats,
     * keeps a uniform random L of the payer's distinct CIDs, clamps each CID's total at C.
     */
    public void addPayer(int[] cidIdx, long[] amounts, int n, SecureRandom rng) {
      addPayer(cidIdx, amounts, 0, n, rng);
    }

    /** As {@link #addPayer(int[], long[], int, SecureRandom)} for the slice {@code [off, off+n)}. */
    public void addPayer(int[] cidIdx, long[] amounts, int off, int n, SecureRandom rng) {
      if (uniq.length < n) {
        uniq = new int[n];
        sums = new long[n];
      }
      int m = 0;
      for (int i = off; i < off + n; i++) {
        int j = 0;
        while (j < m && uniq[j] != cidIdx[i]) {
          j++;
        }
        if (j == m) {
          uniq[m] = cidIdx[i];
          sums[m] = 0;
          m++;
        }
        sums[j] = satAdd(sums[j], amounts[i]);
      }
      int keep = Math.min(m, maxCidsPerPayer);
      if (m > maxCidsPerPayer) {
        // Partial Fisher-Yates: the first `keep` positions become a uniform random subset.
        for (int i = 0; i < keep; i++) {
          int j = i + rng.nextInt(m - i);
          int tc = uniq[i];
          uniq[i] = uniq[j];
          uniq[j] = tc;
          long ts = sums[i];
          sums[i] = sums[j];
          sums[j] = ts;
        }
      }
      for (int i = 0; i < keep; i++) {
        payers[uniq[i]]++;
        drops[uniq[i]] = satAdd(drops[uniq[i]], Math.min(sums[i], maxDropsPerCid));
      }
    }

    /** The CIDs with at least one counted payer, by name. */
    public SortedMap<String, CidAggregate> toAggregates(List<String> cidNames) {
      SortedMap<String, CidAggregate> out = new TreeMap<>();
      for (int i = 0; i < payers.length; i++) {
        if (payers[i] > 0) {
          out.put(cidNames.get(i), new CidAggregate(payers[i], drops[i]));
        }
      }
      return out;
    }
  }

  private static long satAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
