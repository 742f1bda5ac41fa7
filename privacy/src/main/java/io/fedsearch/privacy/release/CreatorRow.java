package io.fedsearch.privacy.release;

/**
 * One released creator: noisy distinct payers and noisy sum of drops over the release's window ({@link
 * SignalRelease#windowStart()} to {@link SignalRelease#epoch()}), with each payer counted toward at most {@code
 * max_keys_per_payer} creators and {@code max_drops} drops per creator per tree node. {@code creator} is the
 * {@link CreatorKey} of the creator's name. The noise of a row is the sum of at most {@link UnitParameters#nodes()}
 * independent draws at the unit's {@code count_scale} / {@code sum_scale}.
 */
public record CreatorRow(String creator, long noisyPayers, long noisySum) {
  public CreatorRow {
    if (!CreatorKey.isKey(creator)) {
      throw new IllegalArgumentException("creator must be a creator key (64 lowercase hex): " + creator);
    }
  }
}
