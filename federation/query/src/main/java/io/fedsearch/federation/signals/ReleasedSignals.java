package io.fedsearch.federation.signals;

import io.fedsearch.federation.query.RankingSignals;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.privacy.node.SignalReleases;
import io.fedsearch.privacy.release.RowEstimate;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignalRow;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.reputation.service.ReputationService;
import io.fedsearch.reputation.trust.TrustScores;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * Ranking signals from what the federation has released. A listing's payment signal is read from the latest
 * release of the platform whose key signed the listing — a platform's sales can only be of its own listings, so
 * no platform can speak for another's — and is
 *
 * <pre>  signal = weight(platform) × min(estimate, cap(platform)),  estimate = max(0, noisy_payers − sd)</pre>
 *
 * (sd the row's noise standard deviation, {@link RowEstimate}: a listing nobody paid for has a pure-noise row)
 *
 * where weight is 1 for this node and the platform's trust weight in [0, 1] from reputation (EigenTrust over
 * payment relationships; 0 for a platform nobody pays) for others, and cap(platform) is the largest count any
 * <em>other</em> trusted platform (this node included) reports for any of its listings, at least {@link
 * #MIN_CAP}: no platform can make its own listing look more sold than the best seller elsewhere. A creator's
 * reputation is this node's current score. Both are post-processing of released values: reading them spends no
 * privacy budget.
 */
public final class ReleasedSignals implements RankingSignals {
  /** Floor of the per-platform cap (so a federation with one trusted platform can still rank the others a little). */
  public static final long MIN_CAP = 100;

  private final SignalReleases releases;
  private final ReputationService reputation;
  private final String ownKey;
  private final ToDoubleFunction<String> trust;
  private volatile Table table;

  /** One snapshot: per platform, its weight, cap and released counts; rebuilt when the releases or trust change. */
  private record Table(Map<String, SignedRelease> releases, TrustScores trust, Map<String, Double> weight,
      Map<String, Double> cap, Map<String, Map<String, Double>> payers) {}

  public ReleasedSignals(SignalReleases releases, ReputationService reputation, NodePublicKey self) {
    this.releases = releases;
    this.reputation = reputation;
    this.ownKey = self.hex();
    this.trust = key -> reputation.trust().weight(NodePublicKey.fromHex(key));
  }

  @Override
  public OptionalDouble paymentSignal(Cid cid) {
    return paymentSignal(cid, null);
  }

  @Override
  public OptionalDouble paymentSignal(Cid cid, NodePublicKey signer) {
    Table t = table();
    String platform = signer == null ? ownKey : signer.hex();
    Map<String, Double> rows = t.payers().get(platform);
    Double n = rows == null ? null : rows.get(cid.toString());
    double w = t.weight().getOrDefault(platform, 0.0);
    if (n == null || n <= 0 || w <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(w * Math.min(n, t.cap().getOrDefault(platform, (double) MIN_CAP)));
  }

  @Override
  public OptionalDouble creatorReputation(String creator) {
    return reputation.lookup(creator).map(s -> OptionalDouble.of(s.score())).orElse(OptionalDouble.empty());
  }

  private Table table() {
    Map<String, SignedRelease> latest = releases.latestPerNode();
    TrustScores scores = reputation.trust();
    Table t = table;
    if (t != null && t.releases() == latest && t.trust() == scores) {
      return t;
    }
    Map<String, Double> weight = new HashMap<>();
    Map<String, Double> max = new HashMap<>();
    Map<String, Map<String, Double>> payers = new HashMap<>();
    for (SignedRelease sr : latest.values()) {
      SignalRelease r = sr.release();
      double w = r.nodeKey().equals(ownKey) ? 1.0 : clamp01(trust.applyAsDouble(r.nodeKey()));
      weight.put(r.nodeKey(), w);
      double sd = RowEstimate.payerStddev(r.mechanism(), r.cidUnit());
      Map<String, Double> rows = new HashMap<>();
      double top = 0;
      for (SignalRow row : r.rows()) {
        double est = RowEstimate.payers(row.noisyPayers(), sd);
        if (est > 0) {
          rows.put(row.cid(), est);
          top = Math.max(top, est);
        }
      }
      payers.put(r.nodeKey(), rows);
      max.put(r.nodeKey(), top);
    }
    Map<String, Double> cap = new HashMap<>();
    for (String p : payers.keySet()) {
      double c = MIN_CAP;
      for (Map.Entry<String, Double> other : max.entrySet()) {
        if (!other.getKey().equals(p) && weight.getOrDefault(other.getKey(), 0.0) > 0) {
          c = Math.max(c, other.getValue());
        }
      }
      cap.put(p, p.equals(ownKey) ? Double.MAX_VALUE : c);
    }
    t = new Table(latest, scores, Map.copyOf(weight), Map.copyOf(cap), Map.copyOf(payers));
    table = t;
    return t;
  }

  private static double clamp01(double v) {
    return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
  }
}
