package io.fedsearch.indexer.index;

import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.indexer.entry.Tombstone;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;

/**
 * The Lucene schema. Text fields (title, description) are analysed for English; platform, creator and tags are
 * exact; price and publication time are points (filters) and doc values (sorting). The document keeps only the
 * canonical block, its CID and signature ({@link EntryRecord}, in binary doc values): whatever is served is exactly
 * what was signed. Nothing is a stored field.
 *
 * <p>A CID is found through the first eight bytes of its digest ({@link #CID_ORDER}, a point beside the doc value
 * that orders ties), and the match is confirmed against the record's CID: a point per document costs an import
 * ~10 % less than the CID's text as a term (a unique, random 59-character term per document, which the terms
 * dictionary can neither share prefixes of nor compress).
 */
public final class EntryDocuments {
  public static final String KIND = "kind";
  public static final String KEY = "key";
  public static final String TITLE = "title";
  public static final String DESCRIPTION = "description";
  public static final String PLATFORM = "platform";
  public static final String CREATOR = "creator";
  public static final String TAG = "tag";
  public static final String PRICE = "price";
  public static final String PUBLISHED = "published";
  /**
   * {@link io.fedsearch.core.cid.Cid#sortKey()}: doc values (the tie order after score) and a point (look-ups by
   * CID).
   */
  public static final String CID_ORDER = "cid_order";
  /** Binary doc values: the {@link EntryRecord} (CID, signature, signer, block). */
  public static final String RECORD = "record";
  /**
   * The schema version, kept in each commit's user data. 1: block, signature and signer as stored fields, CID text
   * in sorted doc values (ties broken on it); 2: {@link #RECORD} and {@link #CID_ORDER}, no stored fields; 3: CIDs
   * found through a {@link #CID_ORDER} point instead of a term of their text. Opening an older index rewrites it.
   */
  public static final int SCHEMA = 3;
  public static final String SCHEMA_KEY = "fedsearch.schema";
  /** Doc values: 1 on tombstones, 0 on entries (lets a write learn what it replaces without a refresh). */
  public static final String IS_TOMBSTONE = "is_tombstone";
  public static final String KIND_ENTRY = "entry";
  public static final String KIND_TOMBSTONE = "tombstone";
  /** Title matches weigh twice a description match. */
  public static final float TITLE_BOOST = 2f;

  private EntryDocuments() {}

  public static Analyzer analyzer() {
    Analyzer english = new EnglishAnalyzer();
    return new PerFieldAnalyzerWrapper(new KeywordAnalyzer(), Map.of(TITLE, english, DESCRIPTION, english));
  }

  public static Document entry(SignedEntry signed) {
    return entry(signed, signed.entry().key());
  }

  /** The document of {@code signed}, whose key the caller has at hand already. */
  static Document entry(SignedEntry signed, String key) {
    Entry e = signed.entry();
    Document d = new Document();
    d.add(new StringField(KIND, KIND_ENTRY, Field.Store.NO));
    d.add(new NumericDocValuesField(IS_TOMBSTONE, 0));
    d.add(new StringField(KEY, key, Field.Store.NO));
    d.add(new TextField(TITLE, e.title(), Field.Store.NO));
    d.add(new TextField(DESCRIPTION, e.description(), Field.Store.NO));
    d.add(new StringField(PLATFORM, e.platform(), Field.Store.NO));
    if (!e.creator().isEmpty()) {
      d.add(new StringField(CREATOR, e.creator(), Field.Store.NO));
    }
    for (String tag : e.tags()) {
      d.add(new StringField(TAG, tag, Field.Store.NO));
    }
    d.add(new LongPoint(PRICE, e.price()));
    d.add(new NumericDocValuesField(PRICE, e.price()));
    if (e.published() != null) {
      long ms = e.published().toEpochMilli();
      d.add(new LongPoint(PUBLISHED, ms));
      d.add(new NumericDocValuesField(PUBLISHED, ms));
    }
    cidOrder(d, signed.cid());
    d.add(record(signed.cid(), signed.signature(), signed.signer().bytes(), e.encode()));
    return d;
  }

  public static Document tombstone(Tombstone.Signed signed) {
    Document d = new Document();
    d.add(new StringField(KIND, KIND_TOMBSTONE, Field.Store.NO));
    d.add(new NumericDocValuesField(IS_TOMBSTONE, 1));
    d.add(new StringField(KEY, signed.tombstone().key(), Field.Store.NO));
    cidOrder(d, signed.cid());
    d.add(record(signed.cid(), signed.signature(), signed.signer().bytes(), signed.tombstone().encode()));
    return d;
  }

  private static void cidOrder(Document d, io.fedsearch.core.cid.Cid cid) {
    d.add(new NumericDocValuesField(CID_ORDER, cid.sortKey()));
    d.add(new LongPoint(CID_ORDER, cid.sortKey()));
  }

  private static BinaryDocValuesField record(io.fedsearch.core.cid.Cid cid, byte[] sig, byte[] signer,
      byte[] block) {
    return new BinaryDocValuesField(RECORD, new EntryRecord(cid.bytes(), sig, signer, block).encode());
  }
}
