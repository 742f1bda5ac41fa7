package io.fedsearch.federation.query;

import java.util.HashMap;
import java.util.Map;

/**
 * Told, after each federated search, which creator made each work it verified (CID → creator, from entries whose
 * signature and CID were checked). The node connects it to reputation, which needs the pairs to credit payment
 * signals; every caller of {@link FederatedSearch#search} (HTTP, CLI, demo traffic, benchmarks) feeds it alike.
 *
 * <p>It is called on the search's thread: an implementation must return at once (hand over, never write).
 */
@FunctionalInterface
public interface CreatorSightings {
  CreatorSightings NONE = pairs -> {};

  void seen(Map<String, String> cidToCreator);

  /** The CID → creator pairs of every listing in {@code r} that names a creator. */
  static Map<String, String> of(FederatedResult r) {
    Map<String, String> pairs = new HashMap<>();
    for (FederatedResult.Work w : r.works()) {
      for (FederatedResult.Listing l : w.listings()) {
        String creator = l.entry().entry().creator();
        if (!creator.isEmpty()) {
          pairs.put(l.entry().cid().toString(), creator);
        }
      }
    }
    return pairs;
  }
}
