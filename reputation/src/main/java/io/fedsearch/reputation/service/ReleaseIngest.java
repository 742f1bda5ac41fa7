package io.fedsearch.reputation.service;

import io.fedsearch.privacy.release.CreatorKey;
import io.fedsearch.privacy.release.InvalidReleaseException;
import io.fedsearch.privacy.release.Mechanism;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.release.UnitParameters;
import io.fedsearch.reputation.model.CreatorObservation;
import io.fedsearch.reputation.model.NoiseScales;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.SignalObservation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds verified signal releases (the privacy module's, from this node and its peers) into the reputation
 * service: each CID row and each creator row becomes an observation carrying the release's window, the number of
 * tree nodes its running totals sum, the row's noise standard deviations (√nodes × one node's) and the unit's
 * partition threshold, so scores know how much of each number is noise and how many epochs it covers. Creator rows
 * name creators by {@link CreatorKey}; they are resolved against the creator names this node knows from entries,
 * and a row whose creator is unknown is left out (it counts once the entry is known and the next release comes).
 */
public final class ReleaseIngest {
  private ReleaseIngest() {}

  /** Verifies {@code signed} and ingests its rows; returns how many rows were ingested. */
  public static int ingest(ReputationService reputation, SignedRelease signed) throws InvalidReleaseException {
    if (!signed.verifies()) {
      throw new InvalidReleaseException("release signature does not verify");
    }
    SignalRelease r = signed.release();
    NodePublicKey platform = NodePublicKey.fromHex(r.nodeKey());
    boolean laplace = r.mechanism() == Mechanism.LAPLACE;
    UnitParameters cids = r.cidUnit();
    double cidRoot = Math.sqrt(cids.nodes());
    double payerSd = cidRoot * stddev(laplace, cids.countScale());
    double sumSd = cidRoot * stddev(laplace, cids.sumScale());
    List<SignalObservation> rows = r.rows().stream()
        .map(x -> new SignalObservation(platform, r.epoch(), x.cid(), x.noisyPayers(), x.noisySum(), payerSd, sumSd,
            cids.threshold(), r.windowStart(), cids.nodes()))
        .toList();
    reputation.ingestRelease(platform, r.epoch(), rows);

    UnitParameters creators = r.creatorUnit();
    double creatorRoot = Math.sqrt(creators.nodes());
    double creatorPayerSd = creatorRoot * stddev(laplace, creators.countScale());
    double creatorSumSd = creatorRoot * stddev(laplace, creators.sumScale());
    Map<String, String> names = new HashMap<>();
    for (String name : reputation.creatorNames()) {
      if (!name.isBlank()) {
        names.putIfAbsent(CreatorKey.of(name), name);
      }
    }
    List<CreatorObservation> creatorRows = r.creatorRows().stream().filter(x -> names.containsKey(x.creator()))
        .map(x -> new CreatorObservation(platform, r.epoch(), names.get(x.creator()), r.windowStart(),
            creators.nodes(), x.noisyPayers(), x.noisySum(), creatorPayerSd, creatorSumSd, creators.threshold()))
        .toList();
    reputation.ingestCreatorRelease(platform, r.epoch(), creatorRows);
    return rows.size() + creatorRows.size();
  }

  private static double stddev(boolean laplace, String scale) {
    return laplace ? NoiseScales.discreteLaplaceStddev(NoiseScales.rational(scale))
        : NoiseScales.discreteGaussianStddev(NoiseScales.rational(scale));
  }
}
