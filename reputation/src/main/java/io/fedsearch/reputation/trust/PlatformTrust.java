package io.fedsearch.reputation.trust;

import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.ReputationLimits;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * EigenTrust (Kamvar, Schlosser &amp; Garcia-Molina, 2003) over the platforms' payment relationships.
 *
 * <p>Local trust {@code c[i][j]} is the share of everything platform i paid other platforms that went to j (paying is
 * vouching: discovery payouts are owed only for buyers j really sent); paid means settled or netted value, never
 * fees merely accrued ({@link PlatformEdge#accruedDrops()} does not enter). Global trust is the fixed point of
 * {@code t = (1 - a) Cᵀ t + a p}, where p is uniform over the pre-trusted platforms and a is the damping; a platform
 * that paid nobody passes its trust back to p. Trust therefore only enters the graph at pre-trusted platforms and
 * flows along real payments: a ring of platforms paying each other, or a platform paying itself, creates none.
 *
 * <p>The weight used for scores is {@code min(1, t_i / t_ref)} with {@code t_ref} the mean trust of the pre-trusted
 * platforms, so a platform trusted as much as a seed counts fully and one that nobody trusted pays in counts ~0.
 */
public final class PlatformTrust {
  private PlatformTrust() {}

  /**
   * Computes trust for {@code platforms} (plus every platform named by an edge or pre-trusted).
   *
   * @throws IllegalArgumentException when no platform is pre-trusted (trust would have nowhere to start)
   */
  public static TrustScores compute(Collection<NodePublicKey> platforms, Collection<PlatformEdge> edges,
      Set<NodePublicKey> pretrusted, double damping, int maxIterations, double tolerance) {
    if (pretrusted.isEmpty()) {
      throw new IllegalArgumentException("trust: at least one pre-trusted platform is required");
    }
    TreeSet<NodePublicKey> all = new TreeSet<>(platforms);
    all.addAll(pretrusted);
    for (PlatformEdge e : edges) {
      all.add(e.from());
      all.add(e.to());
    }
    if (all.size() > ReputationLimits.PLATFORMS) {
      throw new IllegalArgumentException("trust: " + all.size() + " platforms exceed the limit of "
          + ReputationLimits.PLATFORMS);
    }
    List<NodePublicKey> keys = new ArrayList<>(all);
    Map<NodePublicKey, Integer> index = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      index.put(keys.get(i), i);
    }
    int n = keys.size();
    // Sum duplicate edges, then normalise rows into a sparse matrix (CSR by source). Only value that moved (drops)
    // counts: fees accrued but never paid would let a platform buy trust with sales that never settle.
    Map<Long, Double> summed = new HashMap<>();
    double[] out = new double[n];
    for (PlatformEdge e : edges) {
      int from = index.get(e.from());
      int to = index.get(e.to());
      summed.merge(((long) from << 32) | to, (double) e.drops(), Double::sum);
      out[from] += e.drops();
    }
    int m = summed.size();
    int[] src = new int[m];
    int[] dst = new int[m];
    double[] share = new double[m];
    int k = 0;
    for (Map.Entry<Long, Double> en : summed.entrySet()) {
      int from = (int) (en.getKey() >>> 32);
      src[k] = from;
      dst[k] = (int) (long) en.getKey();
      share[k] = out[from] > 0 ? en.getValue() / out[from] : 0;
      k++;
    }
    double[] p = new double[n];
    for (NodePublicKey key : pretrusted) {
      p[index.get(key)] = 1.0 / pretrusted.size();
    }
    double[] t = p.clone();
    double[] next = new double[n];
    int iterations = 0;
    boolean converged = false;
    while (iterations < maxIterations) {
      iterations++;
      java.util.Arrays.fill(next, 0);
      double dangling = 0;
      for (int i = 0; i < n; i++) {
        if (out[i] <= 0) {
          dangling += t[i];
        }
      }
      for (int e = 0; e < m; e++) {
        next[dst[e]] += (1 - damping) * share[e] * t[src[e]];
      }
      double delta = 0;
      for (int i = 0; i < n; i++) {
        next[i] += ((1 - damping) * dangling + damping) * p[i];
        delta += Math.abs(next[i] - t[i]);
      }
      double[] swap = t;
      t = next;
      next = swap;
      if (delta < tolerance) {
        converged = true;
        break;
      }
    }
    double ref = 0;
    for (NodePublicKey key : pretrusted) {
      ref += t[index.get(key)];
    }
    ref /= pretrusted.size();
    double[] weight = new double[n];
    for (int i = 0; i < n; i++) {
      weight[i] = ref > 0 ? Math.min(1, t[i] / ref) : 0;
    }
    return new TrustScores(keys, t, weight, iterations, converged);
  }
}
