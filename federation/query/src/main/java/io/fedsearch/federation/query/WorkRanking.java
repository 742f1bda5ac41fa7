package io.fedsearch.federation.query;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.query.FederatedSearch.Merge;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.SignedEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The last step of a federated search: listings grouped into works, each work scored by the ranking formula, the
 * shown ones verified. Candidates arrive with their CIDs checked against their blocks but signatures unchecked;
 * nothing unverified leaves.
 */
final class WorkRanking {
  private static final int RRF_K = 60;

  /** Forged answers of one peer in one search: how many, and the first reason. */
  static final class Problems {
    int forged;
    String first;

    void add(String why) {
      forged++;
      first = first == null ? why : first;
    }
  }

  /** A decoded hit: CID recomputed from the block and compared with the claim; signature not yet checked. */
  record Candidate(SignedEntry entry, PeerId peer, float score, int rank) {}

  record RankedWork(Cid key, double score, double text, Double signal, Double reputation,
      List<Candidate> listings) {
    static final Comparator<RankedWork> ORDER = Comparator.comparingDouble((RankedWork w) -> -w.score())
        .thenComparing(w -> w.listings().getFirst().entry().cid(), Cid.TIE_ORDER);
  }

  private final EntryVerifier verifier;
  private final RankingFormula formula;
  private final Supplier<RankingSignals> signals;

  WorkRanking(EntryVerifier verifier, RankingFormula formula, Supplier<RankingSignals> signals) {
    this.verifier = verifier;
    this.formula = formula;
    this.signals = signals;
  }

  /**
   * Groups listings into works (by content CID, else entry CID), scores each work (exact: its best text score; RRF:
   * the fused ranks of its listings), applies the ranking formula, and keeps the best {@code limit}. Signatures are
   * checked here, in rank order, for every listing that will be shown: a forged listing is dropped (and counted
   * against its peer) and the next candidate moves up, so nothing unverified reaches the user.
   */
  List<RankedWork> rank(List<Candidate> hits, Merge merge, int limit, Map<PeerId, Problems> problems) {
    Map<Cid, List<Candidate>> works = new LinkedHashMap<>();
    for (Candidate c : hits) {
      Entry e = c.entry().entry();
      works.computeIfAbsent(e.content() != null ? e.content() : c.entry().cid(), k -> new ArrayList<>()).add(c);
    }
    List<RankedWork> ranked = new ArrayList<>();
    works.forEach((k, listings) -> {
      // The same entry served twice (replicas) is one listing.
      Map<Cid, Candidate> unique = new LinkedHashMap<>();
      listings.stream().sorted(Comparator.comparingDouble((Candidate c) -> -c.score())
          .thenComparing(c -> c.entry().cid(), Cid.TIE_ORDER)).forEach(c -> unique.putIfAbsent(c.entry().cid(), c));
      ranked.add(score(k, List.copyOf(unique.values()), merge));
    });
    ranked.sort(RankedWork.ORDER);
    List<SignedEntry> likelyShown = new ArrayList<>();
    for (RankedWork w : ranked.subList(0, Math.min(limit, ranked.size()))) {
      w.listings().forEach(c -> likelyShown.add(c.entry()));
    }
    verifier.verifyAhead(likelyShown);
    List<RankedWork> shown = new ArrayList<>(limit);
    for (RankedWork w : ranked) {
      if (shown.size() == limit) {
        break;
      }
      List<Candidate> good = new ArrayList<>();
      for (Candidate c : w.listings()) {
        if (verifier.verify(c.entry())) {
          good.add(c);
        } else {
          problems.get(c.peer()).add("signature does not verify for " + c.entry().cid());
        }
      }
      if (good.size() == w.listings().size()) {
        shown.add(w);
      } else if (!good.isEmpty()) {
        shown.add(score(w.key(), good, merge));
      }
    }
    shown.sort(RankedWork.ORDER);
    return List.copyOf(shown);
  }

  private RankedWork score(Cid workKey, List<Candidate> ls, Merge merge) {
    double text = merge == Merge.EXACT ? ls.getFirst().score()
        : ls.stream().mapToDouble(c -> 1.0 / (RRF_K + c.rank())).sum();
    RankingSignals sig = signals.get();
    OptionalDouble signal = ls.stream().map(c -> sig.paymentSignal(c.entry().cid(), c.entry().signer()))
        .filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble).max();
    String creator = ls.getFirst().entry().entry().creator();
    OptionalDouble rep = creator.isEmpty() ? OptionalDouble.empty() : sig.creatorReputation(creator);
    return new RankedWork(workKey, formula.combine(text, signal, rep), text,
        signal.isPresent() ? signal.getAsDouble() : null, rep.isPresent() ? rep.getAsDouble() : null, ls);
  }
}
