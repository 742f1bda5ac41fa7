package io.fedsearch.indexer.search;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Every term of the searched fields of one index segment, with its statistics and the buckets of the segment's
 * documents holding it ({@link DocBuckets}): assembled from the pages of {@link VocabularyPage}. Because it is
 * complete, a term it does not hold has no document in that segment, and a query whose required terms share no
 * bucket has no match in it ({@link #canMatch}). A segment never changes, so neither does its vocabulary; an index
 * version's is the sum of its segments' ({@link SegmentedVocabulary}).
 *
 * <p>Held compactly (per field, the term strings beside arrays of figures, the bucket sets encoded in one byte
 * array) since a node keeps one per peer segment.
 */
public final class TermVocabulary {
  private final String segment;
  private final long maxDoc;
  private final Map<String, QueryStats.FieldStats> fields;
  private final Map<String, FieldTerms> terms;
  private final long size;
  private final int buckets;

  /**
   * One field's terms: open addressing over parallel arrays (term, its hash, its figures), so a lookup touches a
   * few cache lines; a query looks terms up for every peer, and a binary search over strings cost far more.
   */
  private static final class FieldTerms {
    private final String[] terms;
    private final int[] hashes;
    private final long[] docFreq;
    private final long[] totalTermFreq;
    private final int[] bucketEnd; // term i's encoded buckets: bucketBytes[bucketEnd[i - 1] (0 for i = 0), bucketEnd[i])
    private final byte[] bucketBytes;
    // Sets sent as bitmaps (common terms, those most queries have) kept decoded, so routing a query reads them as
    // they are; lists of a few buckets are read in place when asked for (BucketSet.view).
    private final BucketSet[] bitmaps;
    private final int buckets;
    private final int[] slots; // index + 1 into the arrays; 0 = empty

    FieldTerms(String[] terms, long[] docFreq, long[] totalTermFreq, int[] bucketEnd, byte[] bucketBytes, int n,
        int buckets) {
      this.terms = Arrays.copyOf(terms, n);
      this.docFreq = Arrays.copyOf(docFreq, n);
      this.totalTermFreq = Arrays.copyOf(totalTermFreq, n);
      this.bucketEnd = Arrays.copyOf(bucketEnd, n);
      this.bucketBytes = Arrays.copyOf(bucketBytes, n == 0 ? 0 : bucketEnd[n - 1]);
      this.buckets = buckets;
      this.bitmaps = new BucketSet[n];
      for (int i = 0; buckets > 0 && i < n; i++) {
        int from = i == 0 ? 0 : bucketEnd[i - 1];
        if (bucketEnd[i] - from == buckets / 8) {
          bitmaps[i] = DocBuckets.decodeSet(bucketBytes, from, buckets / 8, buckets, docFreq[i]);
        }
      }
      this.hashes = new int[n];
      this.slots = new int[Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1];
      for (int i = 0; i < n; i++) {
        int h = mix(this.terms[i].hashCode());
        hashes[i] = h;
        int s = h & (slots.length - 1);
        while (slots[s] != 0) {
          s = (s + 1) & (slots.length - 1);
        }
        slots[s] = i + 1;
      }
    }

    QueryStats.TermStats get(String term) {
      int i = indexOf(term);
      return i < 0 ? ABSENT : new QueryStats.TermStats(docFreq[i], totalTermFreq[i]);
    }

    /** The buckets holding {@code term} ({@link QueryTerms.Buckets#of}); never to be modified. */
    BucketSet buckets(String term) {
      int i = indexOf(term);
      if (i < 0) {
        return BucketSet.EMPTY;
      }
      if (bitmaps[i] != null) {
        return bitmaps[i];
      }
      int from = i == 0 ? 0 : bucketEnd[i - 1];
      // Checked when the page was read (Builder.add): read in place. Empty bytes mean every bucket.
      return bucketEnd[i] == from ? null : BucketSet.view(bucketBytes, from, bucketEnd[i] - from, buckets);
    }

    private int indexOf(String term) {
      int h = mix(term.hashCode());
      for (int s = h & (slots.length - 1); slots[s] != 0; s = (s + 1) & (slots.length - 1)) {
        int i = slots[s] - 1;
        if (hashes[i] == h && terms[i].equals(term)) {
          return i;
        }
      }
      return -1;
    }

    private static int mix(int h) {
      return h ^ (h >>> 16) * 0x85ebca6b;
    }
  }

  static final QueryStats.TermStats ABSENT = new QueryStats.TermStats(0, 0);

  private TermVocabulary(String segment, long maxDoc, Map<String, QueryStats.FieldStats> fields,
      Map<String, FieldTerms> terms, long size, int buckets) {
    this.segment = segment;
    this.maxDoc = maxDoc;
    this.fields = Map.copyOf(fields);
    this.terms = Map.copyOf(terms);
    this.size = size;
    this.buckets = buckets;
  }

  /** The id of the segment this is the vocabulary of. */
  public String segment() {
    return segment;
  }

  /** The segment's documents, deleted ones included. */
  public long maxDoc() {
    return maxDoc;
  }

  /** The segment's collection statistics per searched field. */
  public Map<String, QueryStats.FieldStats> fields() {
    return fields;
  }

  /** Number of (field, term) pairs held. */
  public long size() {
    return size;
  }

  /** The statistics of one term; zero for a term of a searched field the segment does not have. */
  public QueryStats.TermStats get(QueryStats.TermKey key) {
    FieldTerms f = terms.get(key.field());
    return f == null ? ABSENT : f.get(key.term());
  }

  /**
   * Whether a document of this segment could match {@code query}: no term it requires is missing here, and (when
   * the peer sent bucket sets) the terms it requires of one document share a bucket.
   */
  public boolean canMatch(QueryTerms query) {
    if (buckets == 0) {
      return query.canMatch(k -> get(k).docFreq() > 0);
    }
    return query.canMatchIn(key -> {
      FieldTerms f = terms.get(key.field());
      return f == null ? BucketSet.EMPTY : f.buckets(key.term());
    });
  }

  /** Calls {@code each} with every term of {@code field} in this segment and its document frequency. */
  public void forEachTerm(String field, java.util.function.ObjLongConsumer<String> each) {
    FieldTerms f = terms.get(field);
    if (f != null) {
      for (int i = 0; i < f.terms.length; i++) {
        each.accept(f.terms[i], f.docFreq[i]);
      }
    }
  }

  /**
   * Collects the pages of one segment's vocabulary in order. Rejects what cannot be one segment's vocabulary:
   * pages that disagree on the segment or its figures, a field outside {@link QueryParsing#FIELDS}, terms out of
   * order or repeated, negative or inconsistent figures, more than {@code maxTerms} terms, or terms longer than
   * {@link #MAX_MEAN_TERM_CHARS} on average (real vocabularies average under ten; this bounds the memory a peer can
   * make the reader spend).
   */
  public static final class Builder {
    public static final int MAX_MEAN_TERM_CHARS = 32;
    /**
     * Encoded bucket sets may average this many bytes a term at most (a bitmap is up to {@code DocBuckets.MAX / 8}
     * = 512 bytes; a node sends at most {@link DocBuckets#BYTES_PER_TERM} on average): it bounds what a peer can
     * make the reader keep.
     */
    public static final int MAX_MEAN_BUCKET_BYTES = 64;
    private final long maxTerms;
    private VocabularyPage first;
    private final Map<String, Column> columns = new HashMap<>();
    private String lastField;
    private String lastTerm;
    private long size;
    private long chars;
    private long bucketBytes;

    private static final class Column {
      String[] terms = new String[256];
      long[] docFreq = new long[256];
      long[] totalTermFreq = new long[256];
      int[] bucketEnd = new int[256];
      byte[] bucketBytes = new byte[1024];
      int n;

      void add(VocabularyPage.Row r, byte[] buckets) {
        if (n == terms.length) {
          terms = Arrays.copyOf(terms, n * 2);
          docFreq = Arrays.copyOf(docFreq, n * 2);
          totalTermFreq = Arrays.copyOf(totalTermFreq, n * 2);
          bucketEnd = Arrays.copyOf(bucketEnd, n * 2);
        }
        int from = n == 0 ? 0 : bucketEnd[n - 1];
        if (from + buckets.length > bucketBytes.length) {
          bucketBytes = Arrays.copyOf(bucketBytes, Math.max(bucketBytes.length * 2, from + buckets.length));
        }
        System.arraycopy(buckets, 0, bucketBytes, from, buckets.length);
        terms[n] = r.term();
        docFreq[n] = r.docFreq();
        totalTermFreq[n] = r.totalTermFreq();
        bucketEnd[n] = from + buckets.length;
        n++;
      }

      FieldTerms build(int buckets) {
        return new FieldTerms(terms, docFreq, totalTermFreq, bucketEnd, bucketBytes, n, buckets);
      }
    }

    public Builder(long maxTerms) {
      this.maxTerms = maxTerms;
    }

    /** Adds the next page; returns whether more pages follow. */
    public boolean add(VocabularyPage page) {
      if (first == null) {
        if (!page.field().equals(VocabularyPage.Cursor.START.field())) {
          throw new IllegalArgumentException("vocabulary: the first page must start with field "
              + VocabularyPage.Cursor.START.field());
        }
        if (page.buckets() != 0 && page.buckets() != DocBuckets.count(page.maxDoc())) {
          throw new IllegalArgumentException("vocabulary: " + page.buckets() + " buckets for a segment of "
              + page.maxDoc() + " documents; expected " + DocBuckets.count(page.maxDoc()));
        }
        first = page;
      } else if (!page.segment().equals(first.segment()) || page.maxDoc() != first.maxDoc()
          || !page.fields().equals(first.fields()) || page.buckets() != first.buckets()) {
        throw new IllegalArgumentException("vocabulary: pages from different segments or figures ("
            + first.segment() + ", " + page.segment() + ")");
      }
      if (!QueryParsing.FIELDS.contains(page.field())) {
        throw new IllegalArgumentException("vocabulary: field " + page.field() + " is not a searched field");
      }
      if (lastField != null && page.field().compareTo(lastField) < 0) {
        throw new IllegalArgumentException("vocabulary: field " + page.field() + " after " + lastField);
      }
      if (!page.field().equals(lastField)) {
        lastField = page.field();
        lastTerm = null;
      }
      Column c = columns.computeIfAbsent(page.field(), f -> new Column());
      for (VocabularyPage.Row r : page.rows()) {
        if (lastTerm != null && !codePointLess(lastTerm, r.term())) {
          throw new IllegalArgumentException("vocabulary: term '" + r.term() + "' of " + page.field()
              + " out of order or repeated");
        }
        if (r.docFreq() <= 0 || r.totalTermFreq() < r.docFreq() || r.docFreq() > first.maxDoc()) {
          throw new IllegalArgumentException("vocabulary: impossible figures for term '" + r.term() + "'");
        }
        if (++size > maxTerms) {
          throw new IllegalArgumentException("vocabulary: more than " + maxTerms + " terms");
        }
        chars += r.term().length();
        if (chars > maxTerms * MAX_MEAN_TERM_CHARS) {
          throw new IllegalArgumentException("vocabulary: terms longer than " + MAX_MEAN_TERM_CHARS
              + " characters on average");
        }
        byte[] buckets = r.buckets();
        if (first.buckets() == 0 ? buckets.length != 0 : !validBuckets(buckets, r.docFreq())) {
          throw new IllegalArgumentException("vocabulary: impossible buckets for term '" + r.term() + "'");
        }
        bucketBytes += buckets.length;
        if (bucketBytes > maxTerms * MAX_MEAN_BUCKET_BYTES) {
          throw new IllegalArgumentException("vocabulary: bucket sets longer than " + MAX_MEAN_BUCKET_BYTES
              + " bytes a term on average");
        }
        lastTerm = r.term();
        c.add(r, buckets);
      }
      VocabularyPage.Cursor next = page.next();
      if (next != null && (next.field().equals(page.field())
          ? page.rows().isEmpty() || !page.rows().getLast().term().equals(next.after())
          : next.field().compareTo(page.field()) < 0 || next.after() != null)) {
        throw new IllegalArgumentException("vocabulary: the next page must start after the last term of this one");
      }
      return next != null;
    }

    public TermVocabulary build() {
      if (first == null) {
        throw new IllegalStateException("no page added");
      }
      Map<String, FieldTerms> built = new HashMap<>();
      columns.forEach((f, c) -> built.put(f, c.build(first.buckets())));
      return new TermVocabulary(first.segment(), first.maxDoc(), first.fields(), built, size, first.buckets());
    }

    private boolean validBuckets(byte[] buckets, long docFreq) {
      try {
        DocBuckets.decodeSet(buckets, 0, buckets.length, first.buckets(), docFreq);
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
  }

  /** Lucene's term order: by UTF-8 bytes, which is code point order (String.compareTo is UTF-16 order). */
  private static boolean codePointLess(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return ca < cb;
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return a.length() - i < b.length() - j;
  }
}
