package io.fedsearch.indexer.entry;

/**
 * Size limits of an entry, in UTF-8 bytes unless stated. They bound what one entry can cost every node that stores,
 * ships or verifies it; {@link #MAX_BLOCK_BYTES} is the resulting bound on an encoded entry.
 */
public final class EntryLimits {
  public static final int PLATFORM = 64;
  public static final int ID = 256;
  public static final int TITLE = 512;
  public static final int DESCRIPTION = 8192;
  public static final int CREATOR = 256;
  public static final int TAG = 128;
  /** Number of tags. */
  public static final int TAGS = 64;
  public static final int URL = 2048;
  /** Largest price in drops: 10^17, the XRP supply. */
  public static final long PRICE = 100_000_000_000_000_000L;
  /** A single JSON line of input (unknown fields included). */
  public static final int JSON_LINE = 64 * 1024;
  /** Bound on the canonical encoding of one entry (all fields at their limits, plus framing). */
  public static final int MAX_BLOCK_BYTES = 32 * 1024;

  private EntryLimits() {}
}
