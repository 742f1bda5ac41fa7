package io.fedsearch.privacy.release;

/**
 * One payment as the release mechanism sees it: an opaque payer key (the keyed pseudonym, never an account), the
 * CID paid for, and the amount in drops.
 */
public record Contribution(String payer, String cid, long drops) {
  public Contribution {
    if (payer == null || payer.isEmpty() || cid == null || cid.isEmpty() || drops < 0) {
      throw new IllegalArgumentException("contribution needs a payer, a CID and non-negative drops");
    }
  }
}
