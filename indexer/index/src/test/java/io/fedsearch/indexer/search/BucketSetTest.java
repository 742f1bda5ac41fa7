package io.fedsearch.indexer.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lists, lists read in place and bitmaps (and "every bucket") combine as the sets they stand for, whatever the mix. */
class BucketSetTest {
  @Test
  void intersectionsAndUnionsAgreeWithPlainSets() {
    Random rnd = new Random(7);
    for (int round = 0; round < 3_000; round++) {
      int buckets = 64 << rnd.nextInt(9); // 64 .. 16,384
      BitSet x = random(rnd, buckets);
      BitSet y = random(rnd, buckets);
      BitSet z = random(rnd, buckets);
      BucketSet a = as(x, buckets, rnd);
      BucketSet b = as(y, buckets, rnd);
      BucketSet c = as(z, buckets, rnd);
      BitSet and = (BitSet) x.clone();
      and.and(y);
      BitSet or = (BitSet) x.clone();
      or.or(y);
      BitSet mixed = (BitSet) or.clone(); // (x | y) & z
      mixed.and(z);
      check(BucketSet.and(a, b), and, buckets);
      check(BucketSet.or(a, b), or, buckets);
      check(BucketSet.and(BucketSet.or(a, b), c), mixed, buckets);
      check(BucketSet.and(null, a), x, buckets);
      check(BucketSet.and(b, null), y, buckets);
      assertThat(BucketSet.or(a, null)).as("every bucket").isNull();
      assertThat(BucketSet.or(null, b)).isNull();
    }
  }

  @Test
  void decodingKeepsAListAList() {
    long[] bits = new long[16384 / 64];
    bits[3] = 0b1011;
    bits[200] = 1L << 63;
    byte[] encoded = DocBuckets.encode(bits, 16384);
    assertThat(encoded).as("four buckets: a list").hasSize(8);
    BucketSet set = DocBuckets.decodeSet(encoded, 0, encoded.length, 16384, 4);
    assertThat(set.toString()).startsWith("buckets[");
    assertThat(set.toBitmap(16384)).isEqualTo(bits);
    assertThat(BucketSet.EMPTY.isEmpty()).isTrue();
  }

  private static void check(BucketSet got, BitSet want, int buckets) {
    assertThat(got).isNotNull();
    assertThat(got.isEmpty()).isEqualTo(want.isEmpty());
    for (int i = 0; i < buckets; i++) {
      if (got.contains(i) != want.get(i)) {
        throw new AssertionError("bucket " + i + ": " + got + " vs " + want);
      }
    }
    assertThat(BitSet.valueOf(got.toBitmap(buckets))).isEqualTo(want);
  }

  /** Empty, a few buckets, or about half of them. */
  private static BitSet random(Random rnd, int buckets) {
    BitSet s = new BitSet(buckets);
    int kind = rnd.nextInt(3);
    int n = kind == 0 ? 0 : kind == 1 ? 1 + rnd.nextInt(Math.max(1, buckets / 32)) : buckets / 2;
    for (int i = 0; i < n; i++) {
      s.set(rnd.nextInt(buckets));
    }
    return s;
  }

  /** The set in either representation, as a decoder would hold it. */
  private static BucketSet as(BitSet s, int buckets, Random rnd) {
    long[] bits = java.util.Arrays.copyOf(s.toLongArray(), buckets / 64);
    int[] list = s.stream().toArray();
    return switch (rnd.nextInt(3)) {
      case 0 -> BucketSet.bitmap(bits);
      case 1 -> BucketSet.list(list, buckets);
      default -> { // as a vocabulary holds it: 16-bit numbers read in place, after other bytes
        byte[] src = new byte[3 + 2 * list.length];
        for (int i = 0; i < list.length; i++) {
          src[3 + 2 * i] = (byte) (list[i] >>> 8);
          src[4 + 2 * i] = (byte) list[i];
        }
        yield BucketSet.view(src, 3, 2 * list.length, buckets);
      }
    };
  }
}
