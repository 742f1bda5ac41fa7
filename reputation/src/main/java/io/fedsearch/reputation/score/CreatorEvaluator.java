package io.fedsearch.reputation.score;

import io.fedsearch.reputation.model.ReputationConfig;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Evaluates one creator at a time with reusable scratch arrays (one instance per thread). For each (platform, epoch)
 * group of the creator's rows: when the platform's release has a creator-unit row for the creator, that row alone,
 * {@code G = max(0, x - τ) / span} (one payer counts once for the creator; a running total over {@code span} epochs
 * counts per epoch); otherwise the CID rows: credit per row {@code x = min(max(0, payers), max(0, sum) / m)} (the
 * payer count alone when the release's sum noise exceeds the amount-noise limit); group value
 * {@code G = max(0, max x + (Σx - max x) / L - τ)} with τ the release's partition threshold (the released rows are
 * the ones whose noise pushed them over τ, so τ is taken off once per group: no jump when a row crosses it); decayed
 * {@code y = 2^(-age/H) · G}. Per platform: mean of the k largest y, credited {@code c_p = w_p · min(X_p, cap)};
 * total {@code X = max_p c_p + β_P · (Σ_p c_p - max_p c_p)}, variance {@code Σ_p coef_p² w_p² (noise_p + min(X_p, cap))} (coef 1 for the best platform, β_P for the others).
 */
final class CreatorEvaluator {
  /** Tree nodes a continual release's window is credited for at most: its fewest (the previous tree and one node). */
  static final int CREDITED_NODES = 2;
  private final int k;
  private final double m;
  private final double amountNoiseLimit;
  private final double beta;
  private final double cap;
  private final double otherPlatforms;
  private final double[] decay;
  private final int maxAge;

  private long[] keys = new long[64];
  private final double[] topY;
  private final double[] topV;
  private final double[] topN;
  private final double[] topA;
  private int topCount;
  private int epochsSeen;

  // per platform of the current creator
  private int platformCount;
  private int[] pIndex = new int[8];
  private double[] pWeight = new double[8];
  private double[] pEvidence = new double[8];
  private double[] pCredited = new double[8];
  private double[] pNoise = new double[8];
  private double[] pVar = new double[8];
  private double[] pPayers = new double[8];
  private double[] pAmount = new double[8];
  private int[] pEpochs = new int[8];

  private double evidence;
  private double variance;

  CreatorEvaluator(ReputationConfig config, double[] decay) {
    this.k = config.peakEpochs();
    this.m = config.creditedDropsPerPayer();
    this.amountNoiseLimit = config.amountNoiseLimit();
    this.beta = config.breadthWeight();
    this.cap = config.platformEvidenceCap();
    this.otherPlatforms = config.otherPlatformWeight();
    this.decay = decay;
    this.maxAge = decay.length - 1;
    topY = new double[k];
    topV = new double[k];
    topN = new double[k];
    topA = new double[k];
  }

  double evidence() {
    return evidence;
  }

  double variance() {
    return variance;
  }

  void evaluate(SignalTable t, ScoreEngine.Index index, int creator, int epoch, double[] weight,
      Consumer<PlatformContribution> explain) {
    evidence = 0;
    variance = 0;
    platformCount = 0;
    int from = index.start()[creator];
    int n = index.start()[creator + 1] - from;
    if (n == 0) {
      return;
    }
    if (keys.length < n) {
      keys = new long[Math.max(n, keys.length * 2)];
    }
    int[] order = index.order();
    int[] rank = index.rank();
    for (int j = 0; j < n; j++) {
      int r = order[from + j];
      keys[j] = ((long) rank[t.rowRelease(r)] << 32) | r;
    }
    Arrays.sort(keys, 0, n);
    resetPlatform();
    int platform = -1;
    int j = 0;
    while (j < n) {
      int groupRank = (int) (keys[j] >>> 32);
      int rel = t.rowRelease((int) keys[j]);
      int p = t.releasePlatform(rel);
      if (p != platform) {
        if (platform >= 0) {
          finishPlatform(platform, weight[platform]);
        }
        platform = p;
      }
      int age = epoch - t.releaseEpoch(rel);
      double maxX = -1;
      double maxVar = 0;
      double sumX = 0;
      double sumVar = 0;
      double maxN = 0;
      double sumN = 0;
      double maxA = 0;
      double sumA = 0;
      // the creator unit's row, when this platform's release has one: it counts each payer once for the creator
      double unitX = -1;
      double unitVar = 0;
      double unitN = 0;
      double unitA = 0;
      int unitRel = -1;
      for (; j < n && (int) (keys[j] >>> 32) == groupRank; j++) {
        int r = (int) keys[j];
        int rr = t.rowRelease(r);
        double payers = Math.max(0, t.rowPayers(r));
        double amountSd = t.releaseSumSd(rr) / m;
        // a sum noisier than the limit cannot tell who paid m: credit the payer count alone
        double amount = amountSd <= amountNoiseLimit ? Math.max(0, t.rowSum(r)) / m : Double.POSITIVE_INFINITY;
        double x;
        double var;
        if (payers <= amount) {
          x = payers;
          double sd = t.releasePayerSd(rr);
          var = sd * sd;
        } else {
          x = amount;
          var = amountSd * amountSd;
        }
        double a = Double.isInfinite(amount) ? payers : amount;
        if (t.releaseIsCreatorUnit(rr)) {
          if (x > unitX) {
            unitX = x;
            unitVar = var;
            unitN = payers;
            unitA = a;
            unitRel = rr;
          }
          continue;
        }
        if (x > maxX) {
          maxX = x;
          maxVar = var;
        }
        sumX += x;
        sumVar += var;
        maxN = Math.max(maxN, payers);
        sumN += payers;
        maxA = Math.max(maxA, a);
        sumA += a;
      }
      if (age < 0 || age > maxAge) {
        continue;
      }
      double d = decay[age];
      if (unitRel >= 0) {
        // τ off once, as for CID rows; a running total counts per epoch of its window (see perEpoch)
        double tau = t.releaseThreshold(unitRel);
        double span = perEpoch(t, unitRel);
        offer(d * Math.max(0, unitX - tau) / span, d * d * unitVar / (span * span),
            d * Math.max(0, unitN - tau) / span, d * Math.max(0, unitA - tau) / span);
        continue;
      }
      double tau = t.releaseThreshold(rel);
      double span = perEpoch(t, rel);
      double g = Math.max(0, maxX + beta * (sumX - maxX) - tau) / span;
      double gVar = (maxVar + beta * beta * (sumVar - maxVar)) / (span * span);
      offer(d * g, d * d * gVar, d * Math.max(0, maxN + beta * (sumN - maxN) - tau) / span,
          d * Math.max(0, maxA + beta * (sumA - maxA) - tau) / span);
    }
    if (platform >= 0) {
      finishPlatform(platform, weight[platform]);
    }
    combine(explain);
  }

  /**
   * What a release's counts are divided by: its span in epochs, and for a running total of more than
   * {@link #CREDITED_NODES} tree nodes also {@code nodes / CREDITED_NODES}. The privacy release bounds a payer per
   * node, so one identity buying in every node's epochs counts once per node: crediting every window as if it had
   * the fewest nodes a window has keeps that identity at ≤ {@value #CREDITED_NODES} units, while steady genuine
   * demand is credited in full by the windows that have that few (the k best windows are read).
   */
  private static double perEpoch(SignalTable t, int rel) {
    return t.releaseSpan(rel) * Math.max(1.0, t.releaseNodes(rel) / (double) CREDITED_NODES);
  }

  /** Best platform counts fully, the others at β_P (see class docs). */
  private void combine(Consumer<PlatformContribution> explain) {
    int best = -1;
    double sum = 0;
    for (int i = 0; i < platformCount; i++) {
      sum += pCredited[i];
      if (best < 0 || pCredited[i] > pCredited[best]) {
        best = i;
      }
    }
    if (best < 0) {
      return;
    }
    evidence = pCredited[best] + otherPlatforms * (sum - pCredited[best]);
    for (int i = 0; i < platformCount; i++) {
      double coef = i == best ? 1 : otherPlatforms;
      variance += coef * coef * pVar[i];
      if (explain != null) {
        explain.accept(new PlatformContribution(pIndex[i], pWeight[i], pEvidence[i], coef * pCredited[i], pNoise[i],
            pPayers[i], pAmount[i], pEpochs[i]));
      }
    }
  }

  private void offer(double y, double v, double yn, double ya) {
    epochsSeen++;
    int pos;
    if (topCount < k) {
      pos = topCount++;
    } else if (y > topY[k - 1]) {
      pos = k - 1;
    } else {
      return;
    }
    while (pos > 0 && topY[pos - 1] < y) {
      topY[pos] = topY[pos - 1];
      topV[pos] = topV[pos - 1];
      topN[pos] = topN[pos - 1];
      topA[pos] = topA[pos - 1];
      pos--;
    }
    topY[pos] = y;
    topV[pos] = v;
    topN[pos] = yn;
    topA[pos] = ya;
  }

  private void finishPlatform(int platform, double w) {
    double sumY = 0;
    double sumV = 0;
    double sumN = 0;
    double sumA = 0;
    for (int i = 0; i < topCount; i++) {
      sumY += topY[i];
      sumV += topV[i];
      sumN += topN[i];
      sumA += topA[i];
    }
    double xp = sumY / k;
    double vp = sumV / ((double) k * k);
    double capped = Math.min(xp, cap);
    if (platformCount == pIndex.length) {
      int n = platformCount * 2;
      pIndex = Arrays.copyOf(pIndex, n);
      pWeight = Arrays.copyOf(pWeight, n);
      pEvidence = Arrays.copyOf(pEvidence, n);
      pCredited = Arrays.copyOf(pCredited, n);
      pNoise = Arrays.copyOf(pNoise, n);
      pVar = Arrays.copyOf(pVar, n);
      pPayers = Arrays.copyOf(pPayers, n);
      pAmount = Arrays.copyOf(pAmount, n);
      pEpochs = Arrays.copyOf(pEpochs, n);
    }
    int i = platformCount++;
    pIndex[i] = platform;
    pWeight[i] = w;
    pEvidence[i] = xp;
    pCredited[i] = w * capped;
    pNoise[i] = vp;
    pVar[i] = w * w * (vp + capped);
    pPayers[i] = sumN / k;
    pAmount[i] = sumA / k;
    pEpochs[i] = epochsSeen;
    resetPlatform();
  }

  private void resetPlatform() {
    topCount = 0;
    epochsSeen = 0;
  }
}
