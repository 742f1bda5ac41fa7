package io.fedsearch.reputation.model;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A platform (node) identity: its raw 32-byte Ed25519 public key, the key that signs its releases and attestations.
 * The one place in this module where a key exists as bytes; everywhere else it travels as this value or its hex.
 */
public final class PlatformKey implements Comparable<PlatformKey> {
  public static final int LENGTH = 32;
  private final byte[] raw;

  private PlatformKey(byte[] raw) {
    this.raw = raw;
  }

  public static PlatformKey of(byte[] raw) {
    if (raw == null || raw.length != LENGTH) {
      throw new IllegalArgumentException(
          "platform key must be " + LENGTH + " bytes, got " + (raw == null ? "none" : raw.length));
    }
    return new PlatformKey(raw.clone());
  }

  /** Parses 64 lowercase or uppercase hex digits. */
  public static PlatformKey fromHex(String hex) {
    if (hex == null || hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException(
          "platform key must be " + 2 * LENGTH + " hex digits, got " + (hex == null ? "none" : hex.length()));
    }
    try {
      return new PlatformKey(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("platform key is not hex: " + e.getMessage(), e);
    }
  }

  public byte[] bytes() {
    return raw.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(raw);
  }

  @Override
  public int compareTo(PlatformKey o) {
    return Arrays.compareUnsigned(raw, o.raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlatformKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return hex();
  }
}
