package io.fedsearch.reputation.model;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link CreatorDirectory} held in memory; {@link #put} validates sizes and rejects a CID re-mapped elsewhere. */
public final class InMemoryCreatorDirectory implements CreatorDirectory {
  private final Map<String, String> byCid = new ConcurrentHashMap<>();

  /** Records that {@code cid} was made by {@code creator}; returns true when it was new. */
  public boolean put(String cid, String creator) {
    validate(cid, creator);
    String before = byCid.putIfAbsent(cid, creator);
    if (before != null && !before.equals(creator)) {
      throw new IllegalArgumentException("cid " + cid + " is already mapped to creator '" + before
          + "', not '" + creator + "' (a CID commits to its entry's creator)");
    }
    return before == null;
  }

  @Override
  public Optional<String> creatorOf(String cid) {
    return Optional.ofNullable(byCid.get(cid));
  }

  public int size() {
    return byCid.size();
  }

  public Map<String, String> asMap() {
    return Map.copyOf(byCid);
  }

  public static void validate(String cid, String creator) {
    if (cid == null || cid.isEmpty() || cid.length() > ReputationLimits.CID_CHARS) {
      throw new IllegalArgumentException("directory: cid must be 1.." + ReputationLimits.CID_CHARS + " chars");
    }
    if (creator == null || creator.isBlank() || creator.length() > ReputationLimits.CREATOR_CHARS) {
      throw new IllegalArgumentException("directory: creator must be 1.." + ReputationLimits.CREATOR_CHARS
          + " non-blank chars");
    }
  }
}
