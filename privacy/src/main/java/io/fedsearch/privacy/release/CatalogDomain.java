package io.fedsearch.privacy.release;

import java.util.Map;

/**
 * The keys a node may release without partition selection because they are public before any payment: the CIDs
 * of the listings its platform publishes (signed entries anyone can fetch) and their creators' names. Every key of
 * the domain gets a noisy count in every tree node whether or not anyone paid for it — the Laplace (or Gaussian)
 * mechanism on a fixed, data-independent domain, with no δ — so a work or creator with modest sales is not
 * suppressed; its row is simply noisy, with the noise scale the release states. Keys outside the domain (a sale of
 * a since-deleted listing) still need partition selection.
 */
@FunctionalInterface
public interface CatalogDomain {
  /** The platform's current listings: CID → creator name ("" for none). Read once per release. */
  Map<String, String> listings();

  /** No public domain: every key must clear partition selection. */
  CatalogDomain NONE = Map::of;
}
