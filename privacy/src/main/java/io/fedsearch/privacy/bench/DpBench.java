package io.fedsearch.privacy.bench;

import io.fedsearch.privacy.release.Calibration;
import io.fedsearch.privacy.release.CidAggregate;
import io.fedsearch.privacy.release.ContributionBounder;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.release.SignalMechanism;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignalRow;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.signing.RecordSigner;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * {@code fedsearch bench dp}: how much do private releases change signal-aware ranking? Simulates one epoch of
 * payments whose volume per entry is proportional to the entry's popularity (synthetic payers and amounts, from a
 * seeded generator — the data is synthetic, the noise is not: it comes from {@link SecureRandom}), releases it at
 * each ε through the production path (bounding, exact noise, partition selection, signing, encoding), and scores
 * the query set's top 10 ranked with the released signal against the same ranking with the true signal.
 *
 * <p>Ranking: {@code score = text × (1 + w·ln(1 + signal))}, signal = distinct payers (true: unbounded truth;
 * private: noisy payers of the release, 0 when the CID was not released). NDCG@10 uses the true-signal top 10 as
 * graded relevance (rank r = 0..9 gets gain 10 − r) with log2 discounts.
 */
public final class DpBench {
  /** A catalog entry: its CID and popularity (the data file's {@code popularity}). */
  public record Item(String cid, long popularity) {}

  /** A text-relevance candidate for a query: index into the items and its text score (e.g. BM25). */
  public record Candidate(int item, double textScore) {}

  /**
   * @param payments purchases in the simulated epoch
   * @param meanPurchases mean purchases per synthetic payer (geometric, so some exceed L and bounding bites)
   */
  public record Settings(long payments, double meanPurchases, int repeats, double weight, long seed,
      ReleaseConfig base) {}

  public record EpsilonResult(String epsilon, double ndcg10, double releasedFraction, double releasedFractionOfAll,
      double releasesPerSecond, long threshold, double meanRows) {}

  public record Report(int items, int queries, long payments, int payers, long cidsWithPayments,
      double ndcg10TextOnly, double ndcg10BoundedNoNoise, List<EpsilonResult> results) {}

  /** One simulated epoch, payer-major: payer p's purchases are {@code [offsets[p], offsets[p+1])}. */
  record Epoch(int[] offsets, int[] cids, long[] drops, long[] truePayers) {
    int payers() {
      return offsets.length - 1;
    }
  }

  private DpBench() {}

  public static Report run(List<Item> items, List<List<Candidate>> queries, List<BigDecimal> epsilons,
      Settings settings, RecordSigner signer, SecureRandom noise) {
    Epoch epoch = simulate(items, settings);
    List<String> names = items.stream().map(Item::cid).toList();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      index.put(names.get(i), i);
    }
    long withPayments = Arrays.stream(epoch.truePayers()).filter(v -> v > 0).count();
    double[] truth = toDouble(epoch.truePayers());
    double textOnly = meanNdcg(queries, new double[items.size()], truth, settings.weight());
    ContributionBounder defaultBounder =
        new ContributionBounder(settings.base().maxCidsPerPayer(), settings.base().maxDropsPerCid());
    double[] boundedTruth = new double[items.size()];
    bound(defaultBounder, epoch, names, noise).forEach((cid, a) -> boundedTruth[index.get(cid)] = a.payers());
    double boundedOnly = meanNdcg(queries, boundedTruth, truth, settings.weight());

    String nodeKey = HexFormat.of().formatHex(signer.publicKey());
    List<EpsilonResult> results = new ArrayList<>();
    for (BigDecimal eps : epsilons) {
      ReleaseConfig config = settings.base().withEpsilon(eps);
      Calibration cal = Calibration.of(config);
      ContributionBounder bounder = new ContributionBounder(config.maxCidsPerPayer(), config.maxDropsPerCid());
      double ndcgSum = 0;
      double fracSum = 0;
      double rowsSum = 0;
      long nanos = 0;
      for (int r = 0; r < settings.repeats(); r++) {
        long t0 = System.nanoTime();
        SortedMap<String, CidAggregate> agg = bound(bounder, epoch, names, noise);
        List<SignalRow> rows = SignalMechanism.release(agg, cal, noise);
        SignedRelease signed = new SignalRelease(nodeKey, 1, config.epochLength().getSeconds(), config.mechanism(),
            config.epsilon(), config.delta(), config.maxCidsPerPayer(), config.maxDropsPerCid(), cal.threshold(),
            cal.countScale().toString(), cal.sumScale().toString(), rows).sign(signer);
        byte[] wire = signed.encode();
        nanos += System.nanoTime() - t0;
        if (wire.length == 0) {
          throw new IllegalStateException("empty release encoding");
        }
        double[] released = new double[items.size()];
        for (SignalRow row : rows) {
          released[index.get(row.cid())] = Math.max(0, row.noisyPayers());
        }
        ndcgSum += meanNdcg(queries, released, truth, settings.weight());
        fracSum += withPayments == 0 ? 0 : (double) rows.size() / withPayments;
        rowsSum += rows.size();
      }
      int n = settings.repeats();
      results.add(new EpsilonResult(eps.toPlainString(), ndcgSum / n, fracSum / n,
          rowsSum / n / items.size(), n / (nanos / 1e9), cal.threshold(), rowsSum / n));
    }
    return new Report(items.size(), queries.size(), epoch.cids().length, epoch.payers(), withPayments, textOnly,
        boundedOnly, results);
  }

  private static SortedMap<String, CidAggregate> bound(ContributionBounder bounder, Epoch e, List<String> names,
      SecureRandom rng) {
    ContributionBounder.Totals totals = bounder.totals(names.size());
    int[] off = e.offsets();
    for (int p = 0; p < e.payers(); p++) {
      totals.addPayer(e.cids(), e.drops(), off[p], off[p + 1] - off[p], rng);
    }
    return totals.toAggregates(names);
  }

  /**
   * Synthetic epoch: payers one after another, each buying 1 + Geometric purchases (mean {@code meanPurchases},
   * at most 64), each purchase an entry drawn ∝ popularity and an amount uniform in 0.1–3 XRP; stops at
   * {@code payments} purchases. Also counts the true (unbounded) distinct payers per entry.
   */
  static Epoch simulate(List<Item> items, Settings s) {
    if (s.payments() < 1 || s.payments() > 200_000_000L) {
      throw new IllegalArgumentException("payments must be in 1..200000000 (got " + s.payments() + ")");
    }
    if (!(s.meanPurchases() >= 1) || s.meanPurchases() > 64) {
      throw new IllegalArgumentException("mean purchases per payer must be in 1..64 (got " + s.meanPurchases() + ")");
    }
    SplittableRandom rnd = new SplittableRandom(s.seed());
    double[] cumulative = new double[items.size()];
    double total = 0;
    for (int i = 0; i < items.size(); i++) {
      total += Math.max(0, items.get(i).popularity());
      cumulative[i] = total;
    }
    if (total <= 0) {
      throw new IllegalArgumentException("no entry has a positive popularity");
    }
    int n = (int) s.payments();
    int[] cids = new int[n];
    long[] drops = new long[n];
    int[] offsets = new int[n + 1];
    long[] truePayers = new long[items.size()];
    double q = (s.meanPurchases() - 1) / s.meanPurchases();
    int count = 0;
    int payers = 0;
    while (count < n) {
      int k = 1;
      while (k < 64 && rnd.nextDouble() < q) {
        k++;
      }
      k = Math.min(k, n - count);
      offsets[payers++] = count;
      for (int j = 0; j < k; j++) {
        int i = pick(cumulative, rnd.nextDouble() * total);
        cids[count + j] = i;
        drops[count + j] = 100_000 + rnd.nextLong(2_900_001);
        boolean seen = false;
        for (int x = count; x < count + j && !seen; x++) {
          seen = cids[x] == i;
        }
        if (!seen) {
          truePayers[i]++;
        }
      }
      count += k;
    }
    offsets[payers] = count;
    return new Epoch(Arrays.copyOf(offsets, payers + 1), cids, drops, truePayers);
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

  private static double[] toDouble(long[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
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
