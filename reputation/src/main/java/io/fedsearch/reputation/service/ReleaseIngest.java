package io.fedsearch.reputation.service;

import io.fedsearch.privacy.release.InvalidReleaseException;
import io.fedsearch.privacy.release.Mechanism;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.reputation.model.NoiseScales;
import io.fedsearch.reputation.model.PlatformKey;
import io.fedsearch.reputation.model.SignalObservation;
import java.util.List;

/**
 * Feeds verified signal releases (the privacy module's, from this node and its peers) into the reputation
 * service: each row becomes an observation carrying the release's noise standard deviations and partition
 * threshold, so scores know how much of each number is noise.
 */
public final class ReleaseIngest {
  private ReleaseIngest() {}

  /** Verifies {@code signed} and ingests its rows; returns how many rows were ingested. */
  public static int ingest(ReputationService reputation, SignedRelease signed) throws InvalidReleaseException {
    if (!signed.verifies()) {
      throw new InvalidReleaseException("release signature does not verify");
    }
    SignalRelease r = signed.release();
    PlatformKey platform = PlatformKey.fromHex(r.nodeKey());
    boolean laplace = r.mechanism() == Mechanism.LAPLACE;
    double payerSd = stddev(laplace, r.countScale());
    double sumSd = stddev(laplace, r.sumScale());
    List<SignalObservation> rows = r.rows().stream()
        .map(x -> new SignalObservation(platform, r.epoch(), x.cid(), x.noisyPayers(), x.noisySum(), payerSd, sumSd,
            r.threshold()))
        .toList();
    reputation.ingestRelease(platform, r.epoch(), rows);
    return rows.size();
  }

  private static double stddev(boolean laplace, String scale) {
    return laplace ? NoiseScales.discreteLaplaceStddev(NoiseScales.rational(scale))
        : NoiseScales.discreteGaussianStddev(NoiseScales.rational(scale));
  }
}
