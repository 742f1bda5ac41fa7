package io.fedsearch.privacy.release;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The release mechanism on bounded aggregates: exact noise on each key's payer count, partition selection against
 * the calibrated threshold, exact noise on the sums of the keys that pass. Everything here is integers.
 *
 * <p>{@link #releaseNode} is the continual-release form: keys already public (published by an earlier release, so
 * the set is a function of earlier outputs only) get noisy values whether or not anyone paid for them in this node,
 * with no threshold — a fixed domain under the Laplace or Gaussian mechanism; other keys must have a payer and
 * clear τ, which costs the node's δ. One payer touches at most L keys of either kind in a node, so the node's
 * release is (ε, δ)-DP for whichever set was public before it (adaptive composition).
 */
public final class SignalMechanism {
  /** Most CID rows in one release: keeps a release under {@link SignedRelease#MAX_WIRE_BYTES}. */
  public static final int MAX_ROWS = 100_000;
  /** Most creator rows in one release. */
  public static final int MAX_CREATOR_ROWS = 50_000;

  /** One key's noisy values in one tree node. */
  public record NoisyValue(long payers, long drops) {}

  private SignalMechanism() {}

  /** Rows sorted by CID. When more than {@link #MAX_ROWS} pass, the ones with the largest noisy counts are kept. */
  public static List<SignalRow> release(
      SortedMap<String, CidAggregate> aggregates, Calibration calibration, SecureRandom rng) {
    List<SignalRow> rows = new ArrayList<>();
    releaseNode(aggregates, Set.of(), calibration, rng)
        .forEach((cid, v) -> rows.add(new SignalRow(cid, v.payers(), v.drops())));
    return top(rows, MAX_ROWS, SignalRow::noisyPayers, SignalRow::cid);
  }

  /**
   * The noisy values of one tree node: every key of {@code publicKeys}, and every other key with at least one payer
   * whose noisy payer count is ≥ τ. Sorted by key.
   */
  public static SortedMap<String, NoisyValue> releaseNode(SortedMap<String, CidAggregate> aggregates,
      Set<String> publicKeys, Calibration calibration, SecureRandom rng) {
    SortedMap<String, NoisyValue> out = new TreeMap<>();
    Set<String> keys = new TreeSet<>(aggregates.keySet());
    keys.addAll(publicKeys);
    for (String key : keys) {
      CidAggregate agg = aggregates.getOrDefault(key, new CidAggregate(0, 0));
      boolean known = publicKeys.contains(key);
      if (!known && agg.payers() <= 0) {
        continue;
      }
      long noisyPayers = Math.addExact(agg.payers(), calibration.countNoise().sample(rng));
      if (!known && noisyPayers < calibration.threshold()) {
        continue;
      }
      long noisySum = Math.addExact(agg.drops(), calibration.sumNoise().sample(rng));
      out.put(key, new NoisyValue(noisyPayers, noisySum));
    }
    return out;
  }

  /** The {@code max} rows with the largest noisy counts, sorted by key: post-processing, no budget. */
  static <R> List<R> top(List<R> rows, int max, java.util.function.ToLongFunction<R> payers,
      java.util.function.Function<R, String> key) {
    if (rows.size() <= max) {
      return rows;
    }
    List<R> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingLong(payers).reversed().thenComparing(key));
    sorted = new ArrayList<>(sorted.subList(0, max));
    sorted.sort(Comparator.comparing(key));
    return sorted;
  }

  /** Rows of a window: per key, the sum of its values over the window's nodes (absent in a node counts 0). */
  public static SortedMap<String, NoisyValue> sum(List<? extends Map<String, NoisyValue>> nodes) {
    SortedMap<String, NoisyValue> out = new TreeMap<>();
    for (Map<String, NoisyValue> node : nodes) {
      node.forEach((k, v) -> out.merge(k, v, (a, b) ->
          new NoisyValue(Math.addExact(a.payers(), b.payers()), Math.addExact(a.drops(), b.drops()))));
    }
    return out;
  }

  /** The CID rows of a window's sums, at most {@link #MAX_ROWS}. */
  public static List<SignalRow> cidRows(SortedMap<String, NoisyValue> sums) {
    List<SignalRow> rows = new ArrayList<>(sums.size());
    sums.forEach((k, v) -> rows.add(new SignalRow(k, v.payers(), v.drops())));
    return top(rows, MAX_ROWS, SignalRow::noisyPayers, SignalRow::cid);
  }

  /** The creator rows of a window's sums, at most {@link #MAX_CREATOR_ROWS}. */
  public static List<CreatorRow> creatorRows(SortedMap<String, NoisyValue> sums) {
    List<CreatorRow> rows = new ArrayList<>(sums.size());
    sums.forEach((k, v) -> rows.add(new CreatorRow(k, v.payers(), v.drops())));
    return top(rows, MAX_CREATOR_ROWS, CreatorRow::noisyPayers, CreatorRow::creator);
  }
}
