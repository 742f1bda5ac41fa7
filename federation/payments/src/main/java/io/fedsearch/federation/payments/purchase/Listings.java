package io.fedsearch.federation.payments.purchase;

import io.fedsearch.core.cid.Cid;
import java.util.Map;
import java.util.Optional;

/**
 * What this platform sells, as the purchase service checks it: a buyer names a CID and a price, and both must be
 * those of a live listing of this platform (not withdrawn, not another platform's), or the purchase is refused.
 * The node implements this over its own index; the benchmark over its generated catalog.
 */
@FunctionalInterface
public interface Listings {
  /** A listing as this platform serves it now. {@code withdrawn}: the CID names a deleted (tombstoned) entry. */
  record Listing(Cid cid, long priceDrops, boolean withdrawn) {}

  /** The listing this platform serves under {@code cid}, or empty when it serves none. */
  Optional<Listing> find(Cid cid);

  /** Sells nothing: every purchase is refused as not listed (tools that open payments only to list them). */
  static Listings none() {
    return cid -> Optional.empty();
  }

  /** A fixed catalog of live listings: CID → price in drops (benchmarks, tests). */
  static Listings of(Map<Cid, Long> prices) {
    Map<Cid, Long> copy = Map.copyOf(prices);
    return cid -> Optional.ofNullable(copy.get(cid)).map(p -> new Listing(cid, p, false));
  }
}
