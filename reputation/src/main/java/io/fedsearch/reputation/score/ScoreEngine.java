package io.fedsearch.reputation.score;

import io.fedsearch.reputation.model.ReputationConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Computes every creator's score from a {@link SignalTable} (see package docs for the model). The hot path works on
 * primitive arrays only: rows are bucketed by creator with a counting sort, and each creator is evaluated with
 * per-thread scratch arrays, so a recompute allocates O(rows + creators) primitives and nothing per row.
 */
public final class ScoreEngine {
  private final ReputationConfig config;
  private final double[] decay;

  public ScoreEngine(ReputationConfig config) {
    this.config = config;
    int maxAge = config.maxAgeEpochs();
    this.decay = new double[maxAge + 1];
    for (int a = 0; a <= maxAge; a++) {
      decay[a] = Math.pow(0.5, a / config.halfLifeEpochs());
    }
  }

  public ReputationConfig config() {
    return config;
  }

  /**
   * Scores all creators of {@code table} as of {@code epoch} (rows from later epochs are ignored).
   *
   * @param platformWeight trust weight per platform index (length ≥ table.platforms())
   */
  public ScoreResult computeAll(SignalTable table, double[] platformWeight, int epoch) {
    if (platformWeight.length < table.platforms()) {
      throw new IllegalArgumentException("need a weight for each of " + table.platforms() + " platforms");
    }
    Index index = index(table);
    int creators = table.creators();
    float[] score = new float[creators];
    float[] lo = new float[creators];
    float[] hi = new float[creators];
    float[] evidence = new float[creators];
    int chunk = 4096;
    int chunks = (creators + chunk - 1) / chunk;
    ThreadLocal<CreatorEvaluator> evaluators = ThreadLocal.withInitial(() -> new CreatorEvaluator(config, decay));
    IntStream.range(0, chunks).parallel().forEach(ch -> {
      CreatorEvaluator ev = evaluators.get();
      int end = Math.min(creators, (ch + 1) * chunk);
      for (int c = ch * chunk; c < end; c++) {
        ev.evaluate(table, index, c, epoch, platformWeight, null);
        double x = ev.evidence();
        double sd = Math.sqrt(ev.variance());
        double k = config.halfScoreEvidence();
        evidence[c] = (float) x;
        score[c] = (float) ScoreFunction.score(x, k);
        lo[c] = (float) ScoreFunction.score(x - config.intervalZ() * sd, k);
        hi[c] = (float) ScoreFunction.score(x + config.intervalZ() * sd, k);
      }
    });
    return new ScoreResult(epoch, score, lo, hi, evidence, index);
  }

  /** Full detail of one creator as of {@code epoch}: score, interval, per-platform contributions. */
  public CreatorScore explain(SignalTable table, Index index, int creator, int epoch, double[] platformWeight) {
    CreatorEvaluator ev = new CreatorEvaluator(config, decay);
    List<PlatformContribution> parts = new ArrayList<>();
    ev.evaluate(table, index, creator, epoch, platformWeight, parts::add);
    double x = ev.evidence();
    double sd = Math.sqrt(ev.variance());
    double k = config.halfScoreEvidence();
    return new CreatorScore(epoch, ScoreFunction.score(x, k), ScoreFunction.score(x - config.intervalZ() * sd, k),
        ScoreFunction.score(x + config.intervalZ() * sd, k), x, sd, List.copyOf(parts));
  }

  /** Buckets rows by creator (counting sort) and ranks releases by (platform, epoch). */
  public static Index index(SignalTable table) {
    int creators = table.creators();
    int rows = table.rows();
    int[] start = new int[creators + 1];
    for (int r = 0; r < rows; r++) {
      start[table.rowCreator(r) + 1]++;
    }
    for (int c = 0; c < creators; c++) {
      start[c + 1] += start[c];
    }
    int[] fill = Arrays.copyOf(start, creators);
    int[] order = new int[rows];
    for (int r = 0; r < rows; r++) {
      order[fill[table.rowCreator(r)]++] = r;
    }
    int releases = table.releases();
    long[] keys = new long[releases];
    for (int rel = 0; rel < releases; rel++) {
      // platform (≤ 2^16) | epoch (≤ 2^31) | release index is recovered from a parallel sort below
      keys[rel] = ((long) table.releasePlatform(rel) << 31) | table.releaseEpoch(rel);
    }
    Integer[] byKey = new Integer[releases];
    for (int i = 0; i < releases; i++) {
      byKey[i] = i;
    }
    Arrays.sort(byKey, (a, b) -> Long.compare(keys[a], keys[b]));
    int[] rank = new int[releases];
    int current = -1;
    long prev = Long.MIN_VALUE;
    for (Integer rel : byKey) {
      if (keys[rel] != prev) {
        current++;
        prev = keys[rel];
      }
      rank[rel] = current;
    }
    return new Index(start, order, rank);
  }

  /** Rows bucketed by creator ({@code order[start[c] .. start[c+1])}) and each release's (platform, epoch) rank. */
  public record Index(int[] start, int[] order, int[] rank) {
    public int rowsOf(int creator) {
      return creator + 1 < start.length ? start[creator + 1] - start[creator] : 0;
    }
  }
}
