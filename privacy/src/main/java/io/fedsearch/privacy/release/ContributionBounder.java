package io.fedsearch.privacy.release;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
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

  public SortedMap<String, CidAggregate> bound(Iterable<Contribution> contributions, SecureRandom rng) {
    // payer -> cid -> drops (sorted by CID so the only randomness in the choice is rng's)
    Map<String, SortedMap<String, Long>> byPayer = new HashMap<>();
    for (Contribution c : contributions) {
      byPayer.computeIfAbsent(c.payer(), k -> new TreeMap<>()).merge(c.cid(), c.drops(), ContributionBounder::satAdd);
    }
    Map<String, long[]> totals = new HashMap<>();
    List<String> payers = new ArrayList<>(byPayer.keySet());
    Collections.sort(payers);
    for (String payer : payers) {
      SortedMap<String, Long> cids = byPayer.get(payer);
      List<String> keys = new ArrayList<>(cids.keySet());
      int keep = Math.min(maxCidsPerPayer, keys.size());
      // Partial Fisher-Yates: the first `keep` positions become a uniform random subset.
      for (int i = 0; i < keep && keys.size() > maxCidsPerPayer; i++) {
        int j = i + rng.nextInt(keys.size() - i);
        Collections.swap(keys, i, j);
      }
      for (int i = 0; i < keep; i++) {
        String cid = keys.get(i);
        long[] t = totals.computeIfAbsent(cid, k -> new long[2]);
        t[0]++;
        t[1] = satAdd(t[1], Math.min(cids.get(cid), maxDropsPerCid));
      }
    }
    SortedMap<String, CidAggregate> out = new TreeMap<>();
    totals.forEach((cid, t) -> out.put(cid, new CidAggregate(t[0], t[1])));
    return out;
  }

  private static long satAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
