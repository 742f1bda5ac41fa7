package io.fedsearch.federation.query;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodePublicKey;
import java.util.OptionalDouble;

/**
 * What ranking knows beyond text: a per-CID payment signal (from the privacy module's released, noisy payer
 * counts) and a creator's reputation score in [0, 100] (from the reputation module). Absent values are simply
 * absent: ranking then falls back to text relevance for that factor.
 */
public interface RankingSignals {
  OptionalDouble paymentSignal(Cid cid);

  /**
   * The payment signal of the listing {@code cid} signed by {@code signer}: a platform's sales are of its own
   * listings, so implementations may read only the signer's release.
   */
  default OptionalDouble paymentSignal(Cid cid, NodePublicKey signer) {
    return paymentSignal(cid);
  }

  OptionalDouble creatorReputation(String creator);

  RankingSignals NONE = new RankingSignals() {
    @Override
    public OptionalDouble paymentSignal(Cid cid) {
      return OptionalDouble.empty();
    }

    @Override
    public OptionalDouble creatorReputation(String creator) {
      return OptionalDouble.empty();
    }
  };
}
