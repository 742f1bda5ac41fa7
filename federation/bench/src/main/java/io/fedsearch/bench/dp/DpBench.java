package io.fedsearch.bench.dp;

import io.fedsearch.privacy.release.Calibration;
import io.fedsearch.privacy.release.CidAggregate;
import io.fedsearch.privacy.release.ContributionBounder;
import io.fedsearch.privacy.release.CreatorKey;
import io.fedsearch.privacy.release.EpochTree;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.release.RowEstimate;
import io.fedsearch.privacy.release.SignalMechanism;
import io.fedsearch.privacy.release.SignalMechanism.NoisyValue;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignalRow;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.release.Unit;
import io.fedsearch.privacy.release.UnitBudget;
import io.fedsearch.privacy.release.UnitParameters;
import io.fedsearch.privacy.signing.RecordSigner;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code fedsearch bench dp}: how much do private releases change signal-aware ranking, and how much of the catalog
 * and of the creators do they cover? Simulates {@code epochs} epochs of payments from a returning payer population
 * (volume per entry ∝ the entry's popularity; synthetic payers and amounts from a seeded generator — the data is
 * synthetic, the noise is not: it comes from the {@link SecureRandom} given), releases every epoch at each ε through
 * the production path (per-node bounding per unit, exact noise, partition selection for keys not yet public,
 * window sums, signing and encoding), and scores the query set's top 10 ranked with the released running totals
 * against the same ranking with the true signal.
 *
 * <p>Ranking: {@code score = text × (1 + w·ln(1 + signal))}; the true signal is payer-days (distinct payers per
 * epoch, summed over the epochs so far, unbounded), the private one the release's {@code noisy_payers} shrunk by
 * its noise as ranking reads it ({@link RowEstimate}; 0 when the CID has no row). NDCG@10 uses the true-signal top 10 as graded relevance (rank r gets gain 10 − r), log2
 * discounts.
 */
public final class DpBench {
  /** A catalog entry: its CID, popularity (the data file's {@code popularity}) and creator ("" for none). */
  public record Item(String cid, long popularity, String creator) {
    public Item(String cid, long popularity) {
      this(cid, popularity, "");
    }
  }

  /** A text-relevance candidate for a query: index into the items and its text score (e.g. BM25). */
  public record Candidate(int item, double textScore) {}

  /**
   * @param paymentsPerEpoch purchases in each simulated epoch
   * @param epochs epochs simulated and released (continual release; ranking is scored after the last)
   * @param meanPurchases mean purchases per active payer and epoch (geometric, so some exceed L)
   * @param payerPool the returning payer population as a multiple of one epoch's active payers
   * @param catalogDomain whether the catalog's CIDs and creators are released without partition selection
   * @param shrink noise standard deviations subtracted from a row to read it ({@link RowEstimate#Z} in ranking)
   */
  public record Settings(long paymentsPerEpoch, int epochs, double meanPurchases, int repeats, double weight,
      long seed, ReleaseConfig base, double payerPool, boolean catalogDomain, double shrink) {
    /** A pool of 3× the active payers, and the catalog as the public domain (what a node does). */
    public Settings(long paymentsPerEpoch, int epochs, double meanPurchases, int repeats, double weight, long seed,
        ReleaseConfig base) {
      this(paymentsPerEpoch, epochs, meanPurchases, repeats, weight, seed, base, 3, true, RowEstimate.Z);
    }
  }

  /**
   * Figures of one ε after the last epoch (means over repeats). {@code releasedFraction} and {@code
   * creatorsReleasedFraction}: the share of CIDs (creators) with any sales whose released row reads above zero
   * once shrunk by its noise ({@link RowEstimate}) — with the catalog domain every key has a row, so rows alone
   * would say nothing; {@code releasedVolumeFraction}: the share of true payment volume in those CIDs. {@code
   * ndcg10ByEpoch} holds NDCG@10 after epochs 1, 2, 4, 8, 16, … and the last (first repeat), keyed by epoch count.
   */
  public record EpsilonResult(String epsilon, double ndcg10, double releasedFraction, double creatorsReleasedFraction,
      double releasedVolumeFraction, double releasesPerSecond, long threshold, long creatorThreshold,
      double meanRows, double meanCreatorRows, SortedMap<Integer, Double> ndcg10ByEpoch) {}

  public record Report(int items, int queries, int epochs, long payments, int payers, long cidsWithPayments,
      long creatorsWithPayments, double ndcg10TextOnly, double ndcg10BoundedNoNoise, List<EpsilonResult> results) {}

  /** All simulated epochs: purchase p of epoch e is (payer[e][p], item[e][p], drops[e][p]). */
  record Sim(int[][] payer, int[][] item, long[][] drops, int payers, double[][] truthAt, long[] volume) {
    long purchases() {
      long n = 0;
      for (int[] e : item) {
        n += e.length;
      }
      return n;
    }
  }

  private DpBench() {}

  public static Report run(List<Item> items, List<List<Candidate>> queries, List<BigDecimal> epsilons,
      Settings settings, RecordSigner signer, SecureRandom noise) {
    Sim sim = simulate(items, settings);
    int n = items.size();
    int epochs = settings.epochs();
    double[] truth = sim.truthAt()[epochs - 1];
    List<String> names = items.stream().map(Item::cid).toList();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      index.put(names.get(i), i);
    }
    Map<String, Integer> creatorIndex = new HashMap<>();
    List<String> creatorKeys = new ArrayList<>();
    int[] creatorOf = new int[n];
    for (int i = 0; i < n; i++) {
      String c = items.get(i).creator();
      creatorOf[i] = c == null || c.isBlank() ? -1 : creatorIndex.computeIfAbsent(c, k -> {
        creatorKeys.add(CreatorKey.of(k));
        return creatorKeys.size() - 1;
      });
    }
    long cidsWithPayments = 0;
    boolean[] creatorSold = new boolean[creatorKeys.size()];
    double totalVolume = 0;
    for (int i = 0; i < n; i++) {
      if (sim.volume()[i] > 0) {
        cidsWithPayments++;
        totalVolume += sim.volume()[i];
        if (creatorOf[i] >= 0) {
          creatorSold[creatorOf[i]] = true;
        }
      }
    }
    long creatorsWithPayments = 0;
    for (boolean b : creatorSold) {
      creatorsWithPayments += b ? 1 : 0;
    }
    double textOnly = meanNdcg(queries, new double[n], truth, settings.weight());
    double boundedOnly = meanNdcg(queries, boundedWindow(sim, settings.base(), n, epochs, noise), truth,
        settings.weight());

    String nodeKey = HexFormat.of().formatHex(signer.publicKey());
    List<EpsilonResult> results = new ArrayList<>();
    for (BigDecimal eps : epsilons) {
      ReleaseConfig config = settings.base().withEpsilon(eps);
      Map<Unit, Calibration> cals = new EnumMap<>(Unit.class);
      for (Unit u : Unit.values()) {
        cals.put(u, Calibration.of(config.unit(u)));
      }
      double ndcgSum = 0;
      double fracSum = 0;
      double creatorFracSum = 0;
      double volumeSum = 0;
      double rowsSum = 0;
      double creatorRowsSum = 0;
      long nanos = 0;
      SortedMap<Integer, Double> byEpoch = new TreeMap<>();
      for (int r = 0; r < settings.repeats(); r++) {
        Map<Unit, Map<EpochTree.Node, SortedMap<String, NoisyValue>>> stored = new EnumMap<>(Unit.class);
        Map<Unit, Set<String>> published = new EnumMap<>(Unit.class);
        for (Unit u : Unit.values()) {
          stored.put(u, new HashMap<>());
          published.put(u, Set.of());
        }
        Map<Unit, Set<String>> domain = new EnumMap<>(Unit.class);
        domain.put(Unit.CID, settings.catalogDomain() ? Set.copyOf(names) : Set.of());
        domain.put(Unit.CREATOR, settings.catalogDomain() ? Set.copyOf(creatorKeys) : Set.of());
        SignalRelease last = null;
        for (int e = 0; e < epochs; e++) {
          long t0 = System.nanoTime();
          last = releaseEpoch(sim, config, cals, e, names, creatorOf, creatorKeys, stored, published, domain, nodeKey,
              signer, noise);
          nanos += System.nanoTime() - t0;
          int done = e + 1;
          if (r == 0 && (Integer.bitCount(done) == 1 || done == epochs)) {
            double[] now = signal(last, index, n, settings.shrink());
            byEpoch.put(done, meanNdcg(queries, now, sim.truthAt()[e], settings.weight()));
          }
        }
        double[] released = signal(last, index, n, settings.shrink());
        ndcgSum += meanNdcg(queries, released, truth, settings.weight());
        double vol = 0;
        long informative = 0;
        for (int i = 0; i < n; i++) {
          if (released[i] > 0 && sim.volume()[i] > 0) {
            vol += sim.volume()[i];
            informative++;
          }
        }
        double creatorSd = RowEstimate.payerStddev(last.mechanism(), last.creatorUnit());
        Map<String, Integer> creatorIdx = new HashMap<>();
        for (int c = 0; c < creatorKeys.size(); c++) {
          creatorIdx.put(creatorKeys.get(c), c);
        }
        long creatorsInformative = last.creatorRows().stream()
            .filter(r2 -> r2.noisyPayers() - settings.shrink() * creatorSd > 0
                && creatorSold[creatorIdx.get(r2.creator())])
            .count();
        volumeSum += totalVolume == 0 ? 0 : vol / totalVolume;
        fracSum += cidsWithPayments == 0 ? 0 : (double) informative / cidsWithPayments;
        creatorFracSum += creatorsWithPayments == 0 ? 0 : (double) creatorsInformative / creatorsWithPayments;
        rowsSum += last.rows().size();
        creatorRowsSum += last.creatorRows().size();
      }
      int k = settings.repeats();
      results.add(new EpsilonResult(eps.toPlainString(), ndcgSum / k, fracSum / k, creatorFracSum / k, volumeSum / k,
          (double) k * epochs / (nanos / 1e9), cals.get(Unit.CID).threshold(), cals.get(Unit.CREATOR).threshold(),
          rowsSum / k, creatorRowsSum / k, byEpoch));
    }
    return new Report(n, queries.size(), epochs, sim.purchases(), sim.payers(), cidsWithPayments,
        creatorsWithPayments, textOnly, boundedOnly, results);
  }

  /** One epoch's release through the production mechanism: both units' nodes, window sums, signature, encoding. */
  private static SignalRelease releaseEpoch(Sim sim, ReleaseConfig config, Map<Unit, Calibration> cals, int epoch,
      List<String> names, int[] creatorOf, List<String> creatorKeys,
      Map<Unit, Map<EpochTree.Node, SortedMap<String, NoisyValue>>> stored, Map<Unit, Set<String>> published,
      Map<Unit, Set<String>> domain, String nodeKey, RecordSigner signer, SecureRandom noise) {
    int levels = config.treeLevels();
    EpochTree.Node node = EpochTree.nodeReleasedAt(epoch, levels);
    Map<Unit, SortedMap<String, CidAggregate>> agg =
        bound(sim, config, (int) node.start(), (int) node.end(), names, creatorOf, creatorKeys, noise);
    Map<Unit, SortedMap<String, NoisyValue>> sums = new EnumMap<>(Unit.class);
    for (Unit u : Unit.values()) {
      Set<String> known = new java.util.HashSet<>(published.get(u));
      known.addAll(domain.get(u));
      SortedMap<String, NoisyValue> values = SignalMechanism.releaseNode(agg.get(u), known, cals.get(u), noise);
      stored.get(u).put(node, values);
      List<Map<String, NoisyValue>> window = new ArrayList<>();
      for (EpochTree.Node w : EpochTree.window(epoch, levels)) {
        window.add(stored.get(u).getOrDefault(w, new TreeMap<>()));
      }
      sums.put(u, SignalMechanism.sum(window));
    }
    int nodes = EpochTree.nodes(epoch, levels);
    UnitBudget cb = config.unit(Unit.CID);
    UnitBudget rb = config.unit(Unit.CREATOR);
    SignalRelease release = new SignalRelease(nodeKey, epoch, config.epochLength().getSeconds(), config.mechanism(),
        levels, EpochTree.windowStart(epoch, levels), UnitParameters.of(cb, cals.get(Unit.CID), nodes),
        SignalMechanism.cidRows(sums.get(Unit.CID)), UnitParameters.of(rb, cals.get(Unit.CREATOR), nodes),
        SignalMechanism.creatorRows(sums.get(Unit.CREATOR)));
    SignedRelease signed = release.sign(signer);
    if (signed.encode().length == 0) {
      throw new IllegalStateException("empty release encoding");
    }
    published.put(Unit.CID, new TreeSet<>(release.rows().stream().map(SignalRow::cid).toList()));
    published.put(Unit.CREATOR, new TreeSet<>(release.creatorRows().stream().map(x -> x.creator()).toList()));
    return release;
  }

  /** Bounded aggregates of epochs {@code from..to}, per unit: each payer bounded over the whole span. */
  private static Map<Unit, SortedMap<String, CidAggregate>> bound(Sim sim, ReleaseConfig config, int from, int to,
      List<String> names, int[] creatorOf, List<String> creatorKeys, SecureRandom rng) {
    int payers = sim.payers();
    int[] count = new int[payers + 1];
    int total = 0;
    for (int e = from; e <= to; e++) {
      for (int p : sim.payer()[e]) {
        count[p + 1]++;
      }
      total += sim.payer()[e].length;
    }
    for (int p = 0; p < payers; p++) {
      count[p + 1] += count[p];
    }
    int[] items = new int[total];
    long[] drops = new long[total];
    int[] fill = count.clone();
    for (int e = from; e <= to; e++) {
      int[] pe = sim.payer()[e];
      for (int i = 0; i < pe.length; i++) {
        int at = fill[pe[i]]++;
        items[at] = sim.item()[e][i];
        drops[at] = sim.drops()[e][i];
      }
    }
    UnitBudget cb = config.unit(Unit.CID);
    UnitBudget rb = config.unit(Unit.CREATOR);
    ContributionBounder.Totals cidTotals =
        new ContributionBounder(cb.maxKeysPerPayer(), cb.maxDropsPerKey()).totals(names.size());
    ContributionBounder.Totals creatorTotals =
        new ContributionBounder(rb.maxKeysPerPayer(), rb.maxDropsPerKey()).totals(creatorKeys.size());
    int[] cIdx = new int[64];
    long[] cDrops = new long[64];
    for (int p = 0; p < payers; p++) {
      int off = count[p];
      int len = count[p + 1] - off;
      if (len == 0) {
        continue;
      }
      cidTotals.addPayer(items, drops, off, len, rng);
      if (cIdx.length < len) {
        cIdx = new int[len];
        cDrops = new long[len];
      }
      int m = 0;
      for (int i = off; i < off + len; i++) {
        if (creatorOf[items[i]] >= 0) {
          cIdx[m] = creatorOf[items[i]];
          cDrops[m++] = drops[i];
        }
      }
      if (m > 0) {
        creatorTotals.addPayer(cIdx, cDrops, 0, m, rng);
      }
    }
    Map<Unit, SortedMap<String, CidAggregate>> out = new EnumMap<>(Unit.class);
    out.put(Unit.CID, cidTotals.toAggregates(names));
    out.put(Unit.CREATOR, creatorTotals.toAggregates(creatorKeys));
    return out;
  }

  /** The "bounded, no noise" baseline: the window's true bounded payer counts after the last epoch. */
  private static double[] boundedWindow(Sim sim, ReleaseConfig config, int n, int epochs, SecureRandom rng) {
    double[] out = new double[n];
    List<String> names = new ArrayList<>(n);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      names.add("i" + i);
      index.put("i" + i, i);
    }
    int[] none = new int[n];
    java.util.Arrays.fill(none, -1);
    for (EpochTree.Node w : EpochTree.window(epochs - 1, config.treeLevels())) {
      bound(sim, config, (int) w.start(), (int) w.end(), names, none, List.of(), rng).get(Unit.CID)
          .forEach((k, a) -> out[index.get(k)] += a.payers());
    }
    return out;
  }

  /** The ranking signal ranking reads from a release: each row's count shrunk by its noise ({@link RowEstimate}). */
  private static double[] signal(SignalRelease release, Map<String, Integer> index, int n, double shrink) {
    double sd = RowEstimate.payerStddev(release.mechanism(), release.cidUnit());
    double[] s = new double[n];
    for (SignalRow row : release.rows()) {
      s[index.get(row.cid())] = Math.max(0, row.noisyPayers() - shrink * sd);
    }
    return s;
  }

  /**
   * Synthetic epochs: a population of returning payers ({@code payerPool ×} the active payers of an epoch); each
   * epoch, active payers are drawn uniformly from it, each buying 1 + Geometric purchases (mean {@code
   * meanPurchases}, at most 64), each purchase an entry drawn ∝ popularity and an amount uniform in 0.1–3 XRP, until
   * the epoch has {@code paymentsPerEpoch} purchases. Also keeps the true payer-days per entry after each epoch and each entry's
   * total volume.
   */
  static Sim simulate(List<Item> items, Settings s) {
    if (s.paymentsPerEpoch() < 1 || s.paymentsPerEpoch() * s.epochs() > 200_000_000L) {
      throw new IllegalArgumentException("payments per epoch must be ≥ 1 and payments × epochs at most 200000000"
          + " (got " + s.paymentsPerEpoch() + " × " + s.epochs() + ")");
    }
    if (s.epochs() < 1 || s.epochs() > 1024) {
      throw new IllegalArgumentException("epochs must be in 1..1024 (got " + s.epochs() + ")");
    }
    if (!(s.meanPurchases() >= 1) || s.meanPurchases() > 64) {
      throw new IllegalArgumentException("mean purchases per payer must be in 1..64 (got " + s.meanPurchases() + ")");
    }
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(s.seed());
    double[] cumulative = new double[items.size()];
    double total = 0;
    for (int i = 0; i < items.size(); i++) {
      total += Math.max(0, items.get(i).popularity());
      cumulative[i] = total;
    }
    if (total <= 0) {
      throw new IllegalArgumentException("no entry has a positive popularity");
    }
    int perEpoch = (int) s.paymentsPerEpoch();
    int population = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 1, s.payerPool() * perEpoch / s.meanPurchases()));
    double q = (s.meanPurchases() - 1) / s.meanPurchases();
    int[][] payer = new int[s.epochs()][];
    int[][] item = new int[s.epochs()][];
    long[][] drops = new long[s.epochs()][];
    double[][] truthAt = new double[s.epochs()][];
    long[] volume = new long[items.size()];
    double[] truth = new double[items.size()];
    for (int e = 0; e < s.epochs(); e++) {
      int[] pe = new int[perEpoch];
      int[] ie = new int[perEpoch];
      long[] de = new long[perEpoch];
      int count = 0;
      while (count < perEpoch) {
        int k = 1;
        while (k < 64 && rnd.nextDouble() < q) {
          k++;
        }
        k = Math.min(k, perEpoch - count);
        int p = rnd.nextInt(population);
        for (int j = 0; j < k; j++) {
          int i = pick(cumulative, rnd.nextDouble() * total);
          pe[count + j] = p;
          ie[count + j] = i;
          de[count + j] = 100_000 + rnd.nextLong(2_900_001);
          volume[i] += de[count + j];
          boolean seen = false;
          for (int x = count; x < count + j && !seen; x++) {
            seen = ie[x] == i;
          }
          if (!seen) {
            truth[i]++;
          }
        }
        count += k;
      }
      payer[e] = pe;
      item[e] = ie;
      drops[e] = de;
      truthAt[e] = truth.clone();
    }
    return new Sim(payer, item, drops, population, truthAt, volume);
  }

  /** The first index whose cumulative popularity exceeds {@code u} (entries of popularity 0 are never picked). */
  private static int pick(double[] cumulative, double u) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  static double meanNdcg(List<List<Candidate>> queries, double[] signal, double[] truth, double w) {
    double sum = 0;
    int n = 0;
    for (List<Candidate> q : queries) {
      if (q.isEmpty()) {
        continue;
      }
      sum += ndcg10(q, signal, truth, w);
      n++;
    }
    return n == 0 ? 1 : sum / n;
  }

  /** NDCG@10 of the ranking under {@code signal}, gains from the ranking under {@code truth}. */
  static double ndcg10(List<Candidate> candidates, double[] signal, double[] truth, double w) {
    int[] ideal = top10(candidates, truth, w);
    Map<Integer, Integer> gain = new HashMap<>();
    for (int r = 0; r < ideal.length; r++) {
      gain.put(ideal[r], 10 - r);
    }
    int[] got = top10(candidates, signal, w);
    double dcg = 0;
    double idcg = 0;
    for (int r = 0; r < got.length; r++) {
      dcg += gain.getOrDefault(got[r], 0) / log2(r + 2);
    }
    for (int r = 0; r < ideal.length; r++) {
      idcg += (10 - r) / log2(r + 2);
    }
    return dcg / idcg;
  }

  /** Item indices of the top 10 by {@code text × (1 + w·ln(1+signal))}; ties by item index. */
  static int[] top10(List<Candidate> candidates, double[] signal, double w) {
    return candidates.stream()
        .sorted((a, b) -> {
          int c = Double.compare(score(b, signal, w), score(a, signal, w));
          return c != 0 ? c : Integer.compare(a.item(), b.item());
        })
        .limit(10)
        .mapToInt(Candidate::item)
        .toArray();
  }

  public static double score(Candidate c, double[] signal, double w) {
    return c.textScore() * (1 + w * Math.log1p(signal[c.item()]));
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
