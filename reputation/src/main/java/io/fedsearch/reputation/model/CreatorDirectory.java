package io.fedsearch.reputation.model;

import java.util.Optional;

/**
 * Who made each piece of content: CID → creator, fed from signed entries the node has verified (a CID commits to
 * the whole entry, creator included, so one CID names exactly one creator).
 */
public interface CreatorDirectory {
  /** The creator of {@code cid}, when an entry with that CID is known. */
  Optional<String> creatorOf(String cid);
}
