package io.fedsearch.web.node;

import io.fedsearch.federation.payments.purchase.Listings;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.indexer.index.EntryIndex;
import java.util.Optional;

/**
 * The platform's listings for purchases, read from its own index: a CID is on sale when the index holds it as an
 * entry signed by this node (not another platform's, not a tombstone), at the entry's price. A CID whose entry was
 * deleted is reported withdrawn: its tombstone names it, so the buyer is told to search again.
 */
final class IndexListings implements Listings {
  private final EntryIndex index;

  IndexListings(EntryIndex index) {
    this.index = index;
  }

  @Override
  public Optional<Listing> find(Cid cid) {
    Optional<EntryIndex.Stored> stored = index.get(cid);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    if (stored.get().tombstone() != null) {
      return Optional.of(new Listing(cid, 0, true));
    }
    if (!stored.get().entry().signer().equals(index.signer())) {
      return Optional.empty(); // held for another platform: it is theirs to sell
    }
    return Optional.of(new Listing(cid, stored.get().entry().entry().price(), false));
  }
}
