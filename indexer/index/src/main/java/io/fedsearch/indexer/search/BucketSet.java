package io.fedsearch.indexer.search;

import java.util.Arrays;

/**
 * A set of one segment's buckets ({@link DocBuckets}), immutable: a sorted list of bucket numbers when the peer sent
 * a list (a rare term's few buckets), else a bitmap. Routing intersects and unites the sets of a query's terms for
 * every segment of every peer it might ask. A bitmap is {@code B / 8} bytes (2 KB at 16,384 buckets) and decoding a
 * list into one, then combining bitmaps, allocated and scanned that much per term and operation; a list read where
 * it lies in the vocabulary ({@link #view}) costs nothing until used, and an intersection with a list is a list no
 * longer than it.
 *
 * <p>Null stands for "every bucket" (a term whose buckets are not known) in {@link #and} and {@link #or}.
 */
public final class BucketSet {
  /** No bucket: the term is not in the segment. */
  public static final BucketSet EMPTY = new BucketSet(null, new int[0], null, 0, 0, 0);

  private final long[] bits; // a bitmap; null for a list
  private final int[] ints; // a list's bucket numbers, or null when it is read from ...
  private final byte[] encoded; // ... 16-bit big-endian numbers from offset (DocBuckets' list encoding)
  private final int offset;
  private final int size; // a list's length
  private final int universe; // B, the segment's bucket count (0 for EMPTY)

  private BucketSet(long[] bits, int[] ints, byte[] encoded, int offset, int size, int universe) {
    this.bits = bits;
    this.ints = ints;
    this.encoded = encoded;
    this.offset = offset;
    this.size = size;
    this.universe = universe;
  }

  /** The set whose bitmap is {@code bits} (not copied: the caller gives it up). */
  static BucketSet bitmap(long[] bits) {
    return new BucketSet(bits, null, null, 0, 0, bits.length * 64);
  }

  /**
   * The set of the sorted, distinct bucket numbers {@code buckets}, each below {@code universe} (not copied: the
   * caller gives them up).
   */
  static BucketSet list(int[] buckets, int universe) {
    return list(buckets, buckets.length, universe);
  }

  private static BucketSet list(int[] buckets, int n, int universe) {
    return n == 0 ? EMPTY : new BucketSet(null, buckets, null, 0, n, universe);
  }

  /**
   * The list DocBuckets encoded in {@code length} bytes of {@code src} from {@code offset}, read in place: the
   * bytes must already have been checked ({@link DocBuckets#decode}) and must not change.
   */
  static BucketSet view(byte[] src, int offset, int length, int universe) {
    return length == 0 ? EMPTY : new BucketSet(null, null, src, offset, length / 2, universe);
  }

  private boolean isList() {
    return bits == null;
  }

  private int at(int i) {
    return ints != null ? ints[i] : (encoded[offset + 2 * i] & 0xff) << 8 | encoded[offset + 2 * i + 1] & 0xff;
  }

  public boolean isEmpty() {
    if (isList()) {
      return size == 0;
    }
    for (long w : bits) {
      if (w != 0) {
        return false;
      }
    }
    return true;
  }

  public boolean contains(int bucket) {
    if (!isList()) {
      return bucket >= 0 && bucket >>> 6 < bits.length && (bits[bucket >>> 6] & (1L << bucket)) != 0;
    }
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int v = at(mid);
      if (v == bucket) {
        return true;
      }
      if (v < bucket) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return false;
  }

  /** The intersection of two sets (null: every bucket). A list's intersection is a list no longer than it. */
  public static BucketSet and(BucketSet a, BucketSet b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    if (a == EMPTY || b == EMPTY) {
      return EMPTY;
    }
    if (!a.isList() && !b.isList()) {
      long[] out = new long[Math.min(a.bits.length, b.bits.length)];
      for (int i = 0; i < out.length; i++) {
        out[i] = a.bits[i] & b.bits[i];
      }
      return bitmap(out);
    }
    if (a.isList() && b.isList()) {
      return intersect(a, b);
    }
    BucketSet small = a.isList() ? a : b;
    long[] bitmap = (small == a ? b : a).bits;
    int[] out = new int[small.size];
    int o = 0;
    for (int i = 0; i < small.size; i++) {
      int x = small.at(i);
      if (x >>> 6 < bitmap.length && (bitmap[x >>> 6] & (1L << x)) != 0) {
        out[o++] = x;
      }
    }
    return list(out, o, small.universe);
  }

  /** Two lists' common buckets, in one merge. */
  private static BucketSet intersect(BucketSet a, BucketSet b) {
    int[] out = new int[Math.min(a.size, b.size)];
    int o = 0;
    for (int i = 0, j = 0; i < a.size && j < b.size; ) {
      int x = a.at(i);
      int y = b.at(j);
      if (x == y) {
        out[o++] = x;
        i++;
        j++;
      } else if (x < y) {
        i++;
      } else {
        j++;
      }
    }
    return list(out, o, a.universe);
  }

  /** The union of two sets (null: every bucket). */
  public static BucketSet or(BucketSet a, BucketSet b) {
    if (a == null || b == null) {
      return null;
    }
    if (a == EMPTY) {
      return b;
    }
    if (b == EMPTY) {
      return a;
    }
    if (a.isList() && b.isList()) {
      // Long lists unite faster, and take less room, as a bitmap: past B / 32 numbers, its B / 8 bytes are fewer.
      return a.size + b.size <= a.universe / 32 ? mergeUnion(a, b)
          : or(bitmap(a.toBitmap(a.universe)), b);
    }
    if (a.isList()) {
      return or(b, a);
    }
    long[] out = a.bits.clone();
    if (b.isList()) {
      for (int i = 0; i < b.size; i++) {
        int x = b.at(i);
        if (x >>> 6 < out.length) {
          out[x >>> 6] |= 1L << x;
        }
      }
    } else {
      for (int i = 0; i < Math.min(out.length, b.bits.length); i++) {
        out[i] |= b.bits[i];
      }
    }
    return bitmap(out);
  }

  private static BucketSet mergeUnion(BucketSet a, BucketSet b) {
    int[] out = new int[a.size + b.size];
    int i = 0;
    int j = 0;
    int o = 0;
    while (i < a.size || j < b.size) {
      int x = i < a.size ? a.at(i) : Integer.MAX_VALUE;
      int y = j < b.size ? b.at(j) : Integer.MAX_VALUE;
      int next = Math.min(x, y);
      out[o++] = next;
      i += x == next ? 1 : 0;
      j += y == next ? 1 : 0;
    }
    return list(out, o, a.universe);
  }

  /** This set as a bitmap of {@code buckets} bits (a new array). */
  long[] toBitmap(int buckets) {
    if (!isList()) {
      return bits.clone();
    }
    long[] out = new long[buckets / 64];
    for (int i = 0; i < size; i++) {
      out[at(i) >>> 6] |= 1L << at(i);
    }
    return out;
  }

  @Override
  public String toString() {
    if (!isList()) {
      return "bitmap of " + bits.length * 64 + " buckets";
    }
    int[] all = new int[size];
    Arrays.setAll(all, this::at);
    return "buckets" + Arrays.toString(all);
  }
}
