package io.fedsearch.federation.signals;

import io.fedsearch.federation.query.RankingSignals;
import io.fedsearch.indexer.cid.Cid;
import io.fedsearch.privacy.node.SignalReleases;
import io.fedsearch.reputation.service.ReputationService;
import java.util.OptionalDouble;

/**
 * Ranking signals from what the federation has released: a work's payment signal is its noisy distinct payers
 * summed over every node's latest differentially private release; a creator's reputation is this node's current
 * score. Both are post-processing of released values: reading them spends no privacy budget.
 */
public final class ReleasedSignals implements RankingSignals {
  private final SignalReleases releases;
  private final ReputationService reputation;

  public ReleasedSignals(SignalReleases releases, ReputationService reputation) {
    this.releases = releases;
    this.reputation = reputation;
  }

  @Override
  public OptionalDouble paymentSignal(Cid cid) {
    long payers = releases.payerSignal(cid.toString());
    return payers > 0 ? OptionalDouble.of(payers) : OptionalDouble.empty();
  }

  @Override
  public OptionalDouble creatorReputation(String creator) {
    return reputation.lookup(creator).map(s -> OptionalDouble.of(s.score())).orElse(OptionalDouble.empty());
  }
}
