package io.fedsearch.privacy.release;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The release mechanism on bounded aggregates: exact noise on each CID's payer count, partition selection against
 * the calibrated threshold, exact noise on the sums of the CIDs that pass. Everything here is integers; only CIDs
 * that have at least one payer are candidates (a CID nobody paid for is never released, which partition selection
 * accounts for).
 */
public final class SignalMechanism {
  /** Most rows in one release: keeps a release under {@link SignedRelease#MAX_WIRE_BYTES}. */
  public static final int MAX_ROWS = 100_000;

  private SignalMechanism() {}

  /** Rows sorted by CID. When more than {@link #MAX_ROWS} pass, the ones with the largest noisy counts are kept. */
  public static List<SignalRow> release(
      SortedMap<String, CidAggregate> aggregates, Calibration calibration, SecureRandom rng) {
    List<SignalRow> rows = new ArrayList<>();
    for (Map.Entry<String, CidAggregate> e : aggregates.entrySet()) {
      CidAggregate agg = e.getValue();
      if (agg.payers() <= 0) {
        continue;
      }
      long noisyPayers = Math.addExact(agg.payers(), calibration.countNoise().sample(rng));
      if (noisyPayers < calibration.threshold()) {
        continue;
      }
      long noisySum = Math.addExact(agg.drops(), calibration.sumNoise().sample(rng));
      rows.add(new SignalRow(e.getKey(), noisyPayers, noisySum));
    }
    if (rows.size() > MAX_ROWS) {
      // Post-processing of already-private values: no budget.
      rows.sort(Comparator.comparingLong(SignalRow::noisyPayers).reversed().thenComparing(SignalRow::cid));
      rows = new ArrayList<>(rows.subList(0, MAX_ROWS));
      rows.sort(Comparator.comparing(SignalRow::cid));
    }
    return rows;
  }
}
