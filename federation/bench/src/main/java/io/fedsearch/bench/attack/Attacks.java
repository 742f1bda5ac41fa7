package io.fedsearch.bench.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongFunction;

/**
 * The five attacks against one creator of a {@link World}, each searching for its cheapest way to raise that
 * creator's score by {@link #RISE} points, and the honest baseline: what the creator's genuine buyers spend for the
 * same rise (their demand scaled up until the score rises as much).
 */
final class Attacks {
  static final double RISE = 10;
  private static final long MAX_IDENTITIES = 50_000_000L;

  /** Cost of one attack on one creator: cost per point, or capped with the largest gain it reached. */
  record Cost(double perPoint, boolean capped, double maxGain, String strategy) {
    static Cost capped(double gain, String why) {
      return new Cost(Double.NaN, true, gain, why);
    }
  }

  private final World w;
  private final double[] weights;
  private final int k;
  private final long m;
  private final int lastEpoch;

  Attacks(World w) {
    this.w = w;
    this.weights = w.baseWeights();
    this.k = w.rc.peakEpochs();
    this.m = w.rc.creditedDropsPerPayer();
    this.lastEpoch = w.evalEpoch;
  }

  double baseScore(World.Creator c) {
    return w.score(c, 1, 0, List.of(), weights);
  }

  /**
   * Honest baseline: drops per point the creator's own buyers spend when its demand (every item, in proportion)
   * grows until +10 points — the cheapest timing of a lasting rise (all epochs) or a recent surge (last 1, k or 2k
   * epochs), since the attacks also pick their timing.
   */
  Cost honest(World.Creator c) {
    Cost best = null;
    for (int q : timings()) {
      best = cheaper(best, honestRise(c, Math.max(0, lastEpoch - q + 1)));
    }
    return best;
  }

  private Cost honestRise(World.Creator c, int from) {
    double s0 = baseScore(c);
    double target = s0 + RISE;
    DoubleUnaryOperator score = scale -> w.score(c, scale, from, 0, List.of(), weights);
    double hi = 2;
    while (score.applyAsDouble(hi) < target) {
      hi *= 2;
      if (hi > 1 << 24) {
        return Cost.capped(score.applyAsDouble(hi) - s0, "demand ×16M does not reach +10");
      }
    }
    double lo = 1;
    for (int i = 0; i < 40 && hi - lo > 1e-4 * lo; i++) {
      double mid = Math.sqrt(lo * hi);
      if (score.applyAsDouble(mid) >= target) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    double gain = score.applyAsDouble(hi) - s0;
    double cost = w.honestSpend(c, hi, from) - w.honestSpend(c, 1, from);
    return new Cost(cost / gain, false, gain,
        String.format("genuine demand ×%.3f over the last %d epochs", hi, lastEpoch - from + 1));
  }

  /** The last q epochs a rise or an attack may use: 1, k, 2k, the tree nodes' lengths 4 … 32, or every epoch. */
  private int[] timings() {
    return java.util.stream.IntStream.of(1, k, 2 * k, 4, 8, 16, 32, lastEpoch + 1).filter(q -> q <= lastEpoch + 1)
        .distinct().toArray();
  }

  /**
   * Sybil farm: N fresh payer identities buy j of the creator's items (its most bought ones, or new items priced at
   * m) on the trusted platform in each of the last q epochs; j is 1 or L (the release's per-payer CID bound).
   */
  Cost sybil(World.Creator c) {
    double s0 = baseScore(c);
    Cost best = null;
    int maxItems = w.rc.maxCidsPerPayer();
    // with continual release an identity counts once per tree node: buying over longer spans can pay, and buying
    // exactly once in each node of the latest windows is the cheapest way to be counted in all of them
    List<int[]> schedules = new ArrayList<>();
    for (int q : timings()) {
      schedules.add(java.util.stream.IntStream.rangeClosed(lastEpoch - q + 1, lastEpoch).toArray());
    }
    int[] perNode = w.oncePerNode(k);
    if (perNode.length > 0) {
      schedules.add(perNode);
    }
    for (int[] schedule : schedules) {
      for (boolean existing : new boolean[] {true, false}) {
        for (int j : new int[] {1, maxItems}) {
          long[] keys = new long[existing ? Math.min(j, c.items().length) : j];
          long[] pay = new long[keys.length];
          for (int i = 0; i < keys.length; i++) {
            keys[i] = existing ? c.items()[i].key() : Hashing.mix(c.name().hashCode(), 0xfa4e + i);
            pay[i] = existing ? Math.max(c.items()[i].price(), m) : m;
          }
          long perEpoch = java.util.Arrays.stream(pay).sum();
          String when = schedule == perNode ? "once in each of " + perNode.length + " tree nodes"
              : schedule.length + " epochs";
          Cost cost = searchIdentities(s0, n -> {
            List<World.Extra> extras = new ArrayList<>();
            for (int e : schedule) {
              for (int i = 0; i < keys.length; i++) {
                extras.add(new World.Extra(World.DEBIAN, keys[i], e, n, n * pay[i], false));
              }
            }
            return w.score(c, 1, 0, extras, weights);
          }, n -> n * (double) w.hc.identityCostDrops() + n * (double) schedule.length * perEpoch,
              keys.length + (existing ? " most bought items" : " new items at m") + ", " + when);
          best = cheaper(best, cost);
        }
      }
    }
    return best;
  }

  /**
   * Collusion ring: the other ring members buy the creator's item each epoch (on every honest platform where the
   * creator lists a copy). A payer counts toward at most L items per epoch per platform (the release's contribution
   * bound), so in a ring where everyone gains, each member receives at most min(R - 1, L) payers per platform.
   */
  Cost ring(World.Creator c) {
    double s0 = baseScore(c);
    int maxPayers = Math.min(w.hc.ringSize() - 1, perPayerBound());
    World.Item top = c.items()[0];
    long pay = Math.max(top.price(), m);
    Cost best = null;
    double maxGain = 0;
    for (int platforms = 1; platforms <= w.hc.honestPlatforms(); platforms++) {
      final int h = platforms;
      LongFunction<Double> score = r -> w.score(c, 1, 0, ringExtras(top, h, (int) r, pay), weights);
      maxGain = Math.max(maxGain, score.apply(maxPayers) - s0);
      if (score.apply(maxPayers) < s0 + RISE) {
        continue;
      }
      long lo = 0;
      long hi = maxPayers;
      while (hi - lo > 1) {
        long mid = (lo + hi) / 2;
        if (score.apply(mid) >= s0 + RISE) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      double gain = score.apply(hi) - s0;
      double cost = (double) hi * h * k * pay;
      best = cheaper(best, new Cost(cost / gain, false, gain, hi + " payers on " + h + " platforms"));
    }
    return best != null ? best : Cost.capped(maxGain, "a ring of " + w.hc.ringSize() + " lifts each member by at most "
        + maxPayers + " payers per platform");
  }

  /** How many creators (creator unit) or CIDs (CID rows) one payer counts toward per release node. */
  private int perPayerBound() {
    return w.hc.creatorUnit() ? w.hc.maxCreatorsPerPayer() : w.rc.maxCidsPerPayer();
  }

  private List<World.Extra> ringExtras(World.Item top, int platforms, int payers, long pay) {
    List<World.Extra> extras = new ArrayList<>();
    for (int p = 0; p < platforms; p++) {
      long key = p == World.DEBIAN ? top.key() : Hashing.mix(top.key(), p);
      for (int e = lastEpoch - k + 1; e <= lastEpoch; e++) {
        extras.add(new World.Extra(p, key, e, payers, (long) payers * pay, false));
      }
    }
    return extras;
  }

  /**
   * Malicious platform, or an inflated release from a peer: it signs whatever numbers it likes for the creator (no
   * noise, no threshold, a one-epoch window). Its gain is bounded by its trust weight × the per-platform cap; beyond
   * that it must buy trust, i.e. make honest platforms pay it discovery fees by sending them real purchases (cost =
   * payouts / discovery share).
   */
  Cost maliciousPlatform(World.Creator c) {
    double s0 = baseScore(c);
    List<World.Extra> lies = lies(c);
    double gainAtTrust = w.score(c, 1, 0, lies, weights) - s0;
    if (gainAtTrust >= RISE) {
      return new Cost(0, false, gainAtTrust, "an inflated release alone, at its genuine trust");
    }
    DoubleUnaryOperator score = extra -> w.score(c, 1, 0, lies, w.weights(extra));
    double hi = 1e6;
    while (score.applyAsDouble(hi) < s0 + RISE) {
      hi *= 4;
      if (hi > 1e18) {
        return Cost.capped(gainAtTrust, "capped: even 10^18 drops of bought payouts do not reach +10");
      }
    }
    double lo = 0;
    for (int i = 0; i < 60 && hi - lo > 1e-3 * hi; i++) {
      double mid = (lo + hi) / 2;
      if (score.applyAsDouble(mid) >= s0 + RISE) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    double gain = score.applyAsDouble(hi) - s0;
    double purchases = hi / w.hc.discoveryShare();
    return new Cost(purchases / gain, true, gainAtTrust, String.format(
        "an inflated release (any counts, τ 0, no noise) alone gains +%.2f; beyond, buys trust via %.3g drops of"
            + " purchases routed through it",
        gainAtTrust, purchases));
  }

  /** The malicious platform's release for the creator: a billion payers paying m in every epoch, as published. */
  private List<World.Extra> lies(World.Creator c) {
    long item = Hashing.mix(c.name().hashCode(), 0xbad);
    List<World.Extra> lies = new ArrayList<>();
    long huge = 1_000_000_000L;
    for (int e = 0; e <= lastEpoch; e++) {
      lies.add(new World.Extra(w.malicious, item, e, huge, huge * m, true));
    }
    return lies;
  }

  /**
   * Trust from unpaid fees: the malicious platform has the honest platforms accrue discovery fees to it without ever
   * paying them (sales it "surfaced", bought on channels that never settle), then inflates its release as above.
   * Trust counts only value that moved, so the fees owed add nothing; its gain stays what its genuine trust allows.
   * The strategy also reports what the same fees would give if they were paid.
   */
  Cost unpaidFees(World.Creator c) {
    double s0 = baseScore(c);
    List<World.Extra> lies = lies(c);
    double owed = 1e15;
    double gain = w.score(c, 1, 0, lies, w.weights(0, owed)) - s0;
    double ifPaid = w.score(c, 1, 0, lies, w.weights(owed, 0)) - s0;
    String why = String.format("%.3g drops of fees accrued and never paid: gain %+.2f (%+.2f were they paid)", owed,
        gain, ifPaid);
    return gain >= RISE ? new Cost(0, false, gain, why) : Cost.capped(gain, why);
  }

  /**
   * Identities that cost nothing: claims on payment channels the ledger never confirms (no reserve, no funds). A
   * node with a ledger refuses them, so nothing is recorded; an embedded node records up to its provisional cap per
   * epoch. The attacker spends that cap every epoch on the creator's top item with fresh identities paying m each;
   * it pays nothing, so any gain of +10 is a failure (cost 0 per point), and below that the attack is capped.
   */
  Cost freeIdentities(World.Creator c) {
    double s0 = baseScore(c);
    long perEpoch = w.hc.provisionalCapDrops() / m;
    List<World.Extra> extras = new ArrayList<>();
    if (perEpoch > 0) {
      for (int e = 0; e <= lastEpoch; e++) {
        extras.add(new World.Extra(World.DEBIAN, c.items()[0].key(), e, perEpoch, perEpoch * m, false, true));
      }
    }
    double gain = w.score(c, 1, 0, extras, weights) - s0;
    String why = w.hc.provisionalCapDrops() == 0
        ? String.format("a node with a ledger records no sale on an unconfirmed channel: gain %+.2f", gain)
        : String.format("embedded node counting %d drops of unconfirmed sales per epoch: %d free payers per epoch,"
            + " gain %+.2f", w.hc.provisionalCapDrops(), perEpoch, gain);
    return gain >= RISE ? new Cost(0, false, gain, why) : Cost.capped(gain, why);
  }

  /**
   * Whitewashing: abandon the identity at epoch E - j and continue under a new one (its buyers follow it). The new
   * identity starts with no evidence, so it can only score at most what the old one would have: the gain is ≤ 0.
   */
  Cost whitewash(World.Creator c) {
    double s0 = baseScore(c);
    double best = Double.NEGATIVE_INFINITY;
    for (int j = 0; j <= Math.min(lastEpoch, 4 * k); j++) {
      best = Math.max(best, w.score(c, 1, lastEpoch - j, List.of(), weights) - s0);
    }
    double fresh = w.score(new World.Creator(c.name() + "#new", new World.Item[0]), 1, 0, List.of(), weights);
    best = Math.max(best, fresh - s0);
    return Cost.capped(best, String.format("a new identity starts at %.2f (the lowest score); best gain %.2f", fresh,
        best));
  }

  /**
   * Camouflage: a long build-up of many small "good" sales to fresh payers over 3k epochs (cheap transactions to
   * look established), then cash in at the last epoch. Amounts below m count pro rata, so cheap transactions buy
   * proportionally little evidence.
   */
  Cost camouflage(World.Creator c) {
    double s0 = baseScore(c);
    int build = Math.min(lastEpoch + 1, 3 * k);
    long item = Hashing.mix(c.name().hashCode(), 0xca3f);
    Cost best = null;
    for (long price : new long[] {Math.max(1, m / 10), Math.max(1, m / 2), m, 2 * m}) {
      Cost cost = searchIdentities(s0, n -> {
        List<World.Extra> extras = new ArrayList<>();
        for (int e = lastEpoch - build + 1; e <= lastEpoch; e++) {
          extras.add(new World.Extra(World.DEBIAN, item, e, n, n * price, false));
        }
        return w.score(c, 1, 0, extras, weights);
      }, n -> n * (double) w.hc.identityCostDrops() + n * (double) build * price,
          "sales at " + price + " drops over " + build + " epochs");
      best = cheaper(best, cost);
    }
    return best;
  }

  private interface Scorer {
    double score(long identities);
  }

  private interface Coster {
    double cost(long identities);
  }

  private Cost searchIdentities(double s0, Scorer score, Coster cost, String strategy) {
    long hi = 1;
    while (score.score(hi) < s0 + RISE) {
      hi *= 2;
      if (hi > MAX_IDENTITIES) {
        return Cost.capped(score.score(MAX_IDENTITIES) - s0, strategy);
      }
    }
    long lo = hi / 2;
    if (score.score(lo) >= s0 + RISE) {
      lo = 0;
    }
    while (hi - lo > 1) {
      long mid = (lo + hi) / 2;
      if (score.score(mid) >= s0 + RISE) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    double gain = score.score(hi) - s0;
    return new Cost(cost.cost(hi) / gain, false, gain, hi + " identities, " + strategy);
  }

  private static Cost cheaper(Cost a, Cost b) {
    if (a == null) {
      return b;
    }
    if (a.capped() && !b.capped()) {
      return b;
    }
    if (!a.capped() && b.capped()) {
      return a;
    }
    if (a.capped()) {
      return a.maxGain() >= b.maxGain() ? a : b;
    }
    return b.perPoint() < a.perPoint() ? b : a;
  }
}
