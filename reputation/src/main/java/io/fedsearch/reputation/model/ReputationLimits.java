package io.fedsearch.reputation.model;

/** Size limits on everything this module accepts, so one bad or hostile input cannot exhaust a node. */
public final class ReputationLimits {
  private ReputationLimits() {}

  /** Longest creator name (UTF-16 chars); entries allow no longer names. */
  public static final int CREATOR_CHARS = 512;
  /** Longest CID string (base32 CIDv1 of a sha2-256 DAG-CBOR block is 59 chars). */
  public static final int CID_CHARS = 128;
  /** Most rows in one platform's release for one epoch. */
  public static final int ROWS_PER_RELEASE = 5_000_000;
  /** Largest magnitude of a noisy count or sum; anything beyond is a corrupt or hostile release. */
  public static final double MAX_NOISY_VALUE = 1e15;
  /** Total XRP supply in drops: no edge can carry more. */
  public static final long MAX_DROPS = 100_000_000_000_000_000L;
  /** Largest epoch number accepted (epochs count days or hours since an origin; this is far beyond either). */
  public static final long MAX_EPOCH = Integer.MAX_VALUE;
  /** Most platforms tracked by the trust computation. */
  public static final int PLATFORMS = 65_536;
  /** Largest serialized attestation accepted for verification. */
  public static final int ATTESTATION_BYTES = 8_192;
}
