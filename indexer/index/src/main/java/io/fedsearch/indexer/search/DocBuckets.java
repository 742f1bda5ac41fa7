package io.fedsearch.indexer.search;

/**
 * Which documents of one index segment hold a term, down-sampled: the segment's documents fall into {@code B}
 * buckets (document id mod {@code B}) and a term is described by the set of buckets holding it. A query whose
 * required words share no bucket in any segment has no match in that index, though every word is in it: routing
 * uses this to leave such a peer out of a query it was never asked ({@link QueryTerms#canMatchIn(QueryTerms.Buckets)}).
 * It can only ever say "no match" when that is true: a bucket set is a superset of where the term is.
 *
 * <p>{@code B} is a power of two between {@link #MIN} and {@link #MAX}, the smallest at least the segment's
 * {@code maxDoc} when that is possible, so small segments (every new one) are described exactly. A set is encoded
 * as bytes:
 * <ul>
 *   <li>empty: every bucket (nothing is known). A term in more than {@link #DENSE} × {@code B} documents is not
 *       read, since its set would be nearly full and reading it would cost a pass over its postings; and a segment
 *       spends at most {@link #BYTES_PER_TERM} bytes of sets a term on average, so when its sets would cost more,
 *       the densest are left out first ({@link #threshold}): they prune least;
 *   <li>{@code B / 8} bytes: a bitmap, bucket {@code i} in bit {@code i % 8} of byte {@code i / 8};
 *   <li>any shorter even length: the buckets' numbers, 16-bit big-endian, strictly increasing (chosen whenever
 *       shorter than the bitmap, so a rare term costs two bytes a bucket).
 * </ul>
 * A decoder refuses any other form, a bucket number of {@code B} or above, and more buckets than the term has
 * documents.
 */
public final class DocBuckets {
  public static final int MIN = 64;
  /**
   * At most this many buckets. Offline, with the shared known-item sets: of the peers holding every word of a query
   * but matching nothing, 1,024 buckets left out 61 % (npm in shards of 10,000 entries) and 37 % (Debian, 32,000);
   * 4,096 left out 88 % and 64 %, for 13.4 and 10.6 bytes of sets a term instead of 10.9 and 8.0; 16,384 leave out
   * 100 % and 94 %, for 14.5 and 13.1 bytes. An asker reads a rare term's list in place ({@link BucketSet}), so the
   * larger count costs it ~2 µs more per segment checked (3.8 against 1.4-2.0 µs on Debian's two segments of
   * 32,000; allocation 4.9 against 4.5 KB), where bitmaps of 16,384 buckets cost 19 KB.
   */
  public static final int MAX = 16384;
  /** Documents per bucket above which a term's set is not read (sent as every bucket). */
  public static final int DENSE = 4;
  /** Mean bytes of bucket sets a term that a segment's vocabulary carries at most (askers accept twice that). */
  public static final int BYTES_PER_TERM = 32;
  /** The encoding of "every bucket". */
  public static final byte[] EVERY = new byte[0];

  private DocBuckets() {}

  /** The number of buckets a segment of {@code maxDoc} documents is described in. */
  public static int count(long maxDoc) {
    if (maxDoc >= MAX) {
      return MAX;
    }
    return Math.max(MIN, Integer.highestOneBit((int) Math.max(1, maxDoc) * 2 - 1));
  }

  /**
   * The largest document frequency whose terms get a bucket set in a segment of {@code buckets} buckets: all terms
   * in at most {@link #DENSE} × {@code buckets} documents, the rarest first, while their sets' bytes (at most
   * {@code min(2 × docFreq, buckets / 8)} each) stay within {@link #BYTES_PER_TERM} a term on average.
   *
   * @param termsByDocFreq how many of the segment's terms are in exactly {@code i} documents, for {@code i} from 1
   *     to {@code DENSE × buckets} (index 0 is not read)
   * @param terms how many terms the segment has in all
   */
  public static long threshold(long[] termsByDocFreq, long terms, int buckets) {
    long budget = (long) BYTES_PER_TERM * terms;
    long spent = 0;
    for (int df = 1; df < termsByDocFreq.length; df++) {
      spent += termsByDocFreq[df] * Math.min(2L * df, buckets / 8);
      if (spent > budget) {
        return df - 1;
      }
    }
    return termsByDocFreq.length - 1;
  }

  /** Whether {@code b} is a bucket count a segment can have (a power of two in [MIN, MAX]). */
  public static boolean validCount(long b) {
    return b >= MIN && b <= MAX && Long.bitCount(b) == 1;
  }

  /** The bucket of a document. */
  public static int of(int doc, int buckets) {
    return doc & (buckets - 1);
  }

  /** The shorter encoding of a bitmap of {@code buckets} bits (see the class comment). */
  public static byte[] encode(long[] bits, int buckets) {
    int set = 0;
    for (long w : bits) {
      set += Long.bitCount(w);
    }
    if (2 * set < buckets / 8) {
      byte[] out = new byte[2 * set];
      int o = 0;
      for (int i = 0; i < buckets; i++) {
        if ((bits[i >>> 6] & (1L << i)) != 0) {
          out[o++] = (byte) (i >>> 8);
          out[o++] = (byte) i;
        }
      }
      return out;
    }
    byte[] out = new byte[buckets / 8];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (bits[i >>> 3] >>> (8 * (i & 7)));
    }
    return out;
  }

  /**
   * The bitmap ({@code buckets / 64} longs) of an encoded set, or null for every bucket.
   *
   * @throws IllegalArgumentException when {@code encoded} is not a set of {@code buckets} buckets that a term in
   *     {@code docFreq} documents can have
   */
  public static long[] decode(byte[] encoded, int buckets, long docFreq) {
    BucketSet set = decodeSet(encoded, 0, encoded.length, buckets, docFreq);
    return set == null ? null : set.toBitmap(buckets);
  }

  /**
   * As {@link #decode(byte[], int, long)} for the {@code length} bytes of {@code src} from {@code offset}, as the
   * set was sent: a list stays a list ({@link BucketSet}). Null for every bucket.
   */
  static BucketSet decodeSet(byte[] src, int offset, int length, int buckets, long docFreq) {
    if (length == 0) {
      return null;
    }
    if (length == buckets / 8) {
      long[] bits = new long[buckets / 64];
      for (int i = 0; i < length; i++) {
        bits[i >>> 3] |= (src[offset + i] & 0xffL) << (8 * (i & 7));
      }
      long set = 0;
      for (long w : bits) {
        set += Long.bitCount(w);
      }
      if (set == 0 || set > docFreq) {
        throw new IllegalArgumentException("buckets: " + set + " buckets for a term in " + docFreq + " documents");
      }
      return BucketSet.bitmap(bits);
    }
    if (length % 2 != 0 || length > buckets / 8) {
      throw new IllegalArgumentException("buckets: " + length + " bytes is neither a list of bucket numbers"
          + " nor a bitmap of " + buckets + " buckets");
    }
    if (length / 2 > docFreq) {
      throw new IllegalArgumentException("buckets: " + length / 2 + " buckets for a term in " + docFreq
          + " documents");
    }
    int[] list = new int[length / 2];
    int last = -1;
    for (int i = 0; i < list.length; i++) {
      int b = (src[offset + 2 * i] & 0xff) << 8 | src[offset + 2 * i + 1] & 0xff;
      if (b <= last || b >= buckets) {
        throw new IllegalArgumentException("buckets: bucket " + b + " out of order or not below " + buckets);
      }
      list[i] = b;
      last = b;
    }
    return BucketSet.list(list, buckets);
  }
}
