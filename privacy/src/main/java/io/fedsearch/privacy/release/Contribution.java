package io.fedsearch.privacy.release;

/**
 * One payment as the release mechanism sees it: an opaque payer key (the keyed pseudonym, never an account), the
 * key of the unit it counts toward (the CID paid for, or the {@link CreatorKey} of its creator), and the amount in
 * drops.
 */
public record Contribution(String payer, String key, long drops) {
  public Contribution {
    if (payer == null || payer.isEmpty() || key == null || key.isEmpty() || drops < 0) {
      throw new IllegalArgumentException("contribution needs a payer, a key and non-negative drops");
    }
  }
}
