package io.fedsearch.bench.attack;

import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.ReputationConfig;
import io.fedsearch.reputation.score.ScoreEngine;
import io.fedsearch.reputation.score.SignalTable;
import io.fedsearch.reputation.trust.PlatformTrust;
import io.fedsearch.reputation.trust.TrustScores;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulated federation: honest platforms (0 hosts the Debian catalog and is pre-trusted), one malicious
 * platform, the Debian maintainers as creators with genuine demand from popularity, DP noise on every released
 * row, and the real {@link ScoreEngine} and {@link PlatformTrust} scoring them.
 *
 * <p>Every draw is a pure function of (seed, platform, item, epoch) — common random numbers — so adding buyers to a
 * cell changes its true value but not its noise, and scores are monotone in what an attacker buys; the searches
 * for the cheapest attack therefore bisect cleanly.
 */
final class World {
  static final int DEBIAN = 0;

  /** One item: its key (also its noise seed), genuine buyers per epoch, price in drops. */
  record Item(long key, double lambda, long price) {}

  /** One creator: name and items, most demanded first. */
  record Creator(String name, Item[] items) {}

  /**
   * Extra true buyers in one cell (platform, item, epoch), paying {@code drops} in total. A fabricated cell is
   * published by a lying platform as is: no noise, no partition threshold. The payers of an attack's extras are its
   * identities, the same ones in every cell of that platform ({@code fresh} ones are new in each epoch), so at the
   * creator unit they count once per tree node.
   */
  record Extra(int platform, long item, int epoch, long payers, long drops, boolean fabricated, boolean fresh) {
    Extra(int platform, long item, int epoch, long payers, long drops, boolean fabricated) {
      this(platform, item, epoch, payers, drops, fabricated, false);
    }
  }

  final HarnessConfig hc;
  final ReputationConfig rc;
  final ScoreEngine engine;
  final int malicious;
  final int evalEpoch;
  final List<NodePublicKey> keys = new ArrayList<>();
  final List<Creator> creators = new ArrayList<>();
  private final SimulatedNoise payerNoise;
  private final SimulatedNoise sumNoise;
  private final CreatorUnitRelease creatorUnit;
  private final double honestVolumePerEpoch;
  private final double[] baseWeights;

  World(HarnessConfig hc, ReputationConfig base, List<DebianPopulation.Maintainer> population) {
    this.hc = hc;
    this.malicious = hc.honestPlatforms();
    for (int p = 0; p <= malicious; p++) {
      keys.add(platformKey(hc.seed(), p));
    }
    this.rc = base.withPretrusted(Set.of(keys.get(DEBIAN)));
    this.engine = new ScoreEngine(rc);
    this.evalEpoch = hc.epochs() - 1;
    this.payerNoise = new SimulatedNoise(hc.payerNoiseScale());
    this.sumNoise = new SimulatedNoise(hc.sumNoiseScale());
    this.creatorUnit = new CreatorUnitRelease(hc, payerNoise, sumNoise);
    double volume = 0;
    for (DebianPopulation.Maintainer m : population) {
      List<Item> items = new ArrayList<>();
      for (DebianPopulation.Package p : m.packages()) {
        long key = Hashing.mix(hc.seed(), p.id().hashCode(), p.id().length());
        double lambda = hc.buyersPerPopularity() * (1 + p.popularity());
        long price = price(key);
        items.add(new Item(key, lambda, price));
        volume += lambda * price;
      }
      items.sort((a, b) -> Double.compare(b.lambda(), a.lambda()));
      creators.add(new Creator(m.name(), items.toArray(Item[]::new)));
    }
    this.honestVolumePerEpoch = volume;
    this.baseWeights = weights(0);
  }

  private long price(long key) {
    double u = Hashing.unit(Hashing.mix(key, 0x5eed));
    return Math.round(Math.exp(Math.log(hc.priceMin()) + u * (Math.log(hc.priceMax()) - Math.log(hc.priceMin()))));
  }

  static NodePublicKey platformKey(long seed, int p) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(ByteBuffer.allocate(16).putLong(seed).putLong(p).array());
      return NodeKey.fromSeed(h).publicKey(); // a key whose bytes are a point: what a real platform has
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  double[] baseWeights() {
    return baseWeights.clone();
  }

  /**
   * Payments between platforms over the window: every honest platform has the Debian platform's volume and pays
   * discovery fees, a {@code maliciousShare} of them to the malicious platform and the rest evenly to the other
   * honest ones; the malicious platform (a small real business) pays the honest ones for its own small volume.
   * {@code extraToMalicious} drops are added to the honest → malicious payouts (bought trust, paid), and
   * {@code unpaidToMalicious} to what the honest platforms owe it without ever paying (accrued only), both split by
   * volume.
   */
  List<PlatformEdge> edges(double extraToMalicious, double unpaidToMalicious) {
    int h = hc.honestPlatforms();
    double fees = hc.discoveryShare() * honestVolumePerEpoch * hc.epochs();
    List<PlatformEdge> out = new ArrayList<>();
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < h; j++) {
        if (i != j) {
          out.add(new PlatformEdge(keys.get(i), keys.get(j), Math.round(fees * (1 - hc.maliciousShare()) / (h - 1))));
        }
      }
      long toM = Math.round(fees * hc.maliciousShare() + extraToMalicious / h);
      long owed = toM + Math.round(unpaidToMalicious / h);
      if (owed > 0) {
        out.add(new PlatformEdge(keys.get(i), keys.get(malicious), toM, owed));
      }
      out.add(new PlatformEdge(keys.get(malicious), keys.get(i), Math.max(1, Math.round(fees * hc.maliciousShare() / h))));
    }
    return out;
  }

  TrustScores trust(double extraToMalicious, double unpaidToMalicious) {
    return PlatformTrust.compute(keys, edges(extraToMalicious, unpaidToMalicious), rc.pretrusted(), rc.trustDamping(),
        rc.trustIterations(), rc.trustTolerance());
  }

  /** Trust weights with {@code extraToMalicious} drops of payouts bought by the malicious platform. */
  double[] weights(double extraToMalicious) {
    return weights(extraToMalicious, 0);
  }

  /** Trust weights with payouts bought and fees accrued but never paid to the malicious platform. */
  double[] weights(double extraToMalicious, double unpaidToMalicious) {
    TrustScores t = trust(extraToMalicious, unpaidToMalicious);
    double[] w = new double[keys.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = t.weight(keys.get(i));
    }
    return w;
  }

  /** Genuine buyers of {@code item} in {@code epoch} at demand {@code scale} (systematic sampling: E = scale·λ). */
  long buyers(Item item, int epoch, double scale) {
    double u = Hashing.unit(Hashing.mix(hc.seed(), item.key(), epoch * 31L + 7));
    return (long) Math.floor(scale * item.lambda() + u);
  }

  /** Whether any genuine buyer paid for any of the creator's items in the simulated epochs. */
  boolean hasSales(Creator c) {
    for (Item it : c.items()) {
      for (int e = 0; e <= evalEpoch; e++) {
        if (buyers(it, e, 1) > 0) {
          return true;
        }
      }
    }
    return false;
  }

  /** What the creator's genuine buyers spend over the window, demand × {@code scale} from epoch {@code scaleFrom}. */
  double honestSpend(Creator c, double scale, int scaleFrom) {
    double total = 0;
    for (Item it : c.items()) {
      for (int e = 0; e <= evalEpoch; e++) {
        total += (double) buyers(it, e, e >= scaleFrom ? scale : 1) * it.price();
      }
    }
    return total;
  }

  /** The creator's score at the last epoch with genuine demand × scale (from {@code fromEpoch}) plus extras. */
  double score(Creator c, double scale, int fromEpoch, List<Extra> extras, double[] weights) {
    return score(c, scale, 0, fromEpoch, extras, weights);
  }

  /**
   * The creator's score at the last epoch: genuine demand from {@code fromEpoch} (earlier epochs: the identity did
   * not exist), × {@code scale} from {@code scaleFrom} on, plus extras.
   */
  double score(Creator c, double scale, int scaleFrom, int fromEpoch, List<Extra> extras, double[] weights) {
    SignalTable t = hc.creatorUnit() ? creatorUnitTable(c, scale, scaleFrom, fromEpoch, extras)
        : cidTable(c, scale, scaleFrom, fromEpoch, extras);
    t.ensureCreators(1);
    return engine.explain(t, ScoreEngine.index(t), 0, evalEpoch, weights).score();
  }

  /** The creator's true payers and drops per platform and epoch, and the release's rows of the creator unit. */
  /**
   * Epochs an identity buys in to count once in every tree node of the k latest releases' windows (creator unit),
   * latest first; empty for CID rows.
   */
  int[] oncePerNode(int k) {
    if (!hc.creatorUnit()) {
      return new int[0];
    }
    java.util.TreeSet<Integer> epochs = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
    for (int e = evalEpoch; e > evalEpoch - k && e >= 0; e--) {
      for (int end : creatorUnit.nodeEnds(e)) {
        epochs.add(end);
      }
    }
    return epochs.stream().mapToInt(Integer::intValue).toArray();
  }

  private SignalTable creatorUnitTable(Creator c, double scale, int scaleFrom, int fromEpoch, List<Extra> extras) {
    int platforms = keys.size();
    int epochs = hc.epochs();
    long[][] honestPayers = new long[platforms][epochs];
    long[][] honestDrops = new long[platforms][epochs];
    long[][] identities = new long[platforms][epochs];
    long[][] drops = new long[platforms][epochs];
    boolean[][] fabricated = new boolean[platforms][epochs];
    for (Item it : c.items()) {
      for (int e = fromEpoch; e <= evalEpoch; e++) {
        long n = buyers(it, e, e >= scaleFrom ? scale : 1);
        honestPayers[DEBIAN][e] += n;
        honestDrops[DEBIAN][e] += n * Math.min(it.price(), hc.maxDropsPerCreator());
      }
    }
    for (Extra x : extras) {
      int p = x.platform();
      int e = x.epoch();
      if (x.fresh()) {
        honestPayers[p][e] += x.payers();
        honestDrops[p][e] += x.drops();
      } else {
        // the attack's identities: the same ones in every cell, so the most in any cell is how many there are
        identities[p][e] = Math.max(identities[p][e], x.payers());
        drops[p][e] += x.drops();
      }
      fabricated[p][e] |= x.fabricated();
    }
    SignalTable t = new SignalTable(platforms * epochs);
    t.ensurePlatforms(platforms);
    for (int p = 0; p < platforms; p++) {
      creatorUnit.addRows(t, p, Hashing.mix(c.name().hashCode(), c.name().length()), honestPayers[p],
          honestDrops[p], identities[p], drops[p], fabricated[p]);
    }
    return t;
  }

  private SignalTable cidTable(Creator c, double scale, int scaleFrom, int fromEpoch, List<Extra> extras) {
    SignalTable t = new SignalTable(c.items().length * hc.epochs() + extras.size());
    t.ensurePlatforms(keys.size());
    int[] release = new int[keys.size() * hc.epochs()];
    Arrays.fill(release, -1);
    Map<List<Long>, long[]> extra = new HashMap<>();
    for (Extra x : extras) {
      long[] v = extra.computeIfAbsent(List.of((long) x.platform(), x.item(), (long) x.epoch()),
          k -> new long[] {0, 0, x.fabricated() ? 1 : 0});
      v[0] += x.payers();
      v[1] += x.drops();
    }
    for (Item it : c.items()) {
      for (int e = fromEpoch; e <= evalEpoch; e++) {
        long n = buyers(it, e, e >= scaleFrom ? scale : 1);
        long s = n * it.price();
        long[] add = extra.remove(List.of((long) DEBIAN, it.key(), (long) e));
        if (add != null) {
          n += add[0];
          s += add[1];
        }
        addCell(t, release, DEBIAN, it.key(), e, n, s, false);
      }
    }
    for (Map.Entry<List<Long>, long[]> en : extra.entrySet()) {
      long[] v = en.getValue();
      addCell(t, release, (int) (long) en.getKey().get(0), en.getKey().get(1), (int) (long) en.getKey().get(2), v[0],
          v[1], v[2] == 1);
    }
    return t;
  }

  private void addCell(SignalTable t, int[] release, int platform, long item, int epoch, long payers, long drops,
      boolean fabricated) {
    if (payers == 0 && !fabricated) {
      // an unsold item is never released (partition selection) unless noise alone clears the threshold, which the
      // threshold makes a δ-probability event; skipping it keeps the simulation fast
      return;
    }
    double noisyPayers = payers;
    double noisySum = drops;
    if (!fabricated) {
      long cell = Hashing.mix(hc.seed(), item * 131 + platform, epoch);
      noisyPayers += payerNoise.sample(Hashing.mix(cell, 1));
      noisySum += sumNoise.sample(Hashing.mix(cell, 2));
      if (noisyPayers < hc.partitionThreshold()) {
        return;
      }
    }
    int r = release[platform * hc.epochs() + epoch];
    if (r < 0) {
      r = t.addRelease(platform, epoch, payerNoise.stddev(), sumNoise.stddev(), fabricated ? 0 : hc.partitionThreshold());
      release[platform * hc.epochs() + epoch] = r;
    }
    t.addRow(0, r, noisyPayers, noisySum);
  }
}
