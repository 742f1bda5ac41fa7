package io.fedsearch.indexer.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DocBucketsTest {
  @Test
  void aSegmentHasThePowerOfTwoAtLeastItsSizeWithinTheBounds() {
    assertThat(DocBuckets.count(0)).isEqualTo(64);
    assertThat(DocBuckets.count(1)).isEqualTo(64);
    assertThat(DocBuckets.count(64)).isEqualTo(64);
    assertThat(DocBuckets.count(65)).isEqualTo(128);
    assertThat(DocBuckets.count(1000)).isEqualTo(1024);
    assertThat(DocBuckets.count(3000)).isEqualTo(4096);
    assertThat(DocBuckets.count(10_000)).isEqualTo(16384);
    assertThat(DocBuckets.count(3_000_000_000L)).isEqualTo(16384);
    for (int b : new int[] {64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384}) {
      assertThat(DocBuckets.validCount(b)).isTrue();
    }
    for (long b : new long[] {0, 32, 96, 12288, 32768, -64}) {
      assertThat(DocBuckets.validCount(b)).as("" + b).isFalse();
    }
  }

  /** Any set survives its encoding, in the shorter of the two forms. */
  @Test
  void everySetDecodesToItselfFromTheShorterForm() {
    Random r = new Random(7);
    for (int round = 0; round < 2_000; round++) {
      int buckets = 64 << r.nextInt(7);
      long[] bits = new long[buckets / 64];
      int n = 1 + r.nextInt(r.nextBoolean() ? 8 : buckets);
      for (int i = 0; i < n; i++) {
        int b = r.nextInt(buckets);
        bits[b >>> 6] |= 1L << b;
      }
      int set = 0;
      for (long w : bits) {
        set += Long.bitCount(w);
      }
      byte[] encoded = DocBuckets.encode(bits, buckets);
      assertThat(encoded.length).isEqualTo(2 * set < buckets / 8 ? 2 * set : buckets / 8);
      assertThat(DocBuckets.decode(encoded, buckets, set)).isEqualTo(bits);
    }
    assertThat(DocBuckets.decode(DocBuckets.EVERY, 64, 1)).as("every bucket").isNull();
  }

  /** Sets go to the rarest terms first, within the segment's budget of bytes a term. */
  @Test
  void theDensestSetsAreLeftOutWhenASegmentsSetsWouldCostTooMuch() {
    long[] rare = new long[DocBuckets.DENSE * 64 + 1];
    rare[1] = 100;
    rare[3] = 100;
    assertThat(DocBuckets.threshold(rare, 200, 64)).as("cheap: every term up to DENSE x B").isEqualTo(256);
    long[] mixed = new long[DocBuckets.DENSE * 4096 + 1];
    mixed[1] = 5; // 2 bytes each
    mixed[300] = 5; // bitmaps: 512 bytes each
    mixed[5000] = 1;
    long budget = (long) DocBuckets.BYTES_PER_TERM * 11;
    assertThat(5 * 2 + 5 * 512).isGreaterThan((int) budget);
    assertThat(DocBuckets.threshold(mixed, 11, 4096)).isEqualTo(299);
    mixed[300] = 0;
    assertThat(DocBuckets.threshold(mixed, 11, 4096)).isEqualTo(4999);
  }

  @Test
  void whatNoSegmentCouldHaveIsRefused() {
    assertThatThrownBy(() -> DocBuckets.decode(new byte[] {0, 5, 0, 3}, 1024, 9)).hasMessageContaining("order");
    assertThatThrownBy(() -> DocBuckets.decode(new byte[] {0, 5, 0, 5}, 1024, 9)).hasMessageContaining("order");
    assertThatThrownBy(() -> DocBuckets.decode(new byte[] {4, 0}, 1024, 9)).hasMessageContaining("not below 1024");
    assertThatThrownBy(() -> DocBuckets.decode(new byte[] {0, 1, 0}, 1024, 9)).hasMessageContaining("neither");
    assertThatThrownBy(() -> DocBuckets.decode(new byte[] {0, 1, 0, 2}, 1024, 1))
        .as("two buckets for a term in one document").hasMessageContaining("2 buckets for a term in 1");
    byte[] bitmap = new byte[8];
    assertThatThrownBy(() -> DocBuckets.decode(bitmap, 64, 5)).as("no bucket at all").hasMessageContaining("0 buckets");
    bitmap[0] = 0x0f;
    assertThatThrownBy(() -> DocBuckets.decode(bitmap, 64, 3)).hasMessageContaining("4 buckets for a term in 3");
    assertThatThrownBy(() -> DocBuckets.decode(new byte[20], 64, 100)).hasMessageContaining("neither");
  }
}
