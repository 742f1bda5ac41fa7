package io.fedsearch.privacy.release;

/** One released CID: its noisy distinct-payer count and noisy sum of drops (bounded contributions). */
public record SignalRow(String cid, long noisyPayers, long noisySum) {
  public SignalRow {
    if (!SignalRelease.isCid(cid)) {
      throw new IllegalArgumentException("CID must be 1-" + SignalRelease.MAX_CID_CHARS + " letters/digits: " + cid);
    }
  }
}
