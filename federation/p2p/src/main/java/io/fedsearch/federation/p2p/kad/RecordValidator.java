package io.fedsearch.federation.p2p.kad;

import java.util.List;

/**
 * Decides which PUT_VALUE/GET_VALUE records a node accepts (e.g. checks a signature in the value against a key
 * named by the record key) and which of several valid values is best.
 */
public interface RecordValidator {
  /** Throws {@link IllegalArgumentException} naming what is wrong when the record must be refused. */
  void validate(byte[] key, byte[] value);

  /** Index of the best of several valid values for {@code key}; the first by default. */
  default int select(byte[] key, List<byte[]> values) {
    return 0;
  }

  /**
   * Refuses every value: the default, as fedsearch uses no DHT values, and storing what any peer sends would let
   * one connection fill the heap.
   */
  static RecordValidator none() {
    return (key, value) -> {
      throw new IllegalArgumentException("this node stores no DHT values");
    };
  }

  /** Accepts any key up to 256 bytes and value up to {@code maxValueBytes}. */
  static RecordValidator bounded(int maxValueBytes) {
    return (key, value) -> {
      if (key.length == 0 || key.length > 256) {
        throw new IllegalArgumentException("record key must be 1..256 bytes");
      }
      if (value.length > maxValueBytes) {
        throw new IllegalArgumentException("record value of " + value.length + " bytes exceeds " + maxValueBytes);
      }
    };
  }
}
