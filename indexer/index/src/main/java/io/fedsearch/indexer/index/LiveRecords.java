package io.fedsearch.indexer.index;

import io.fedsearch.core.cid.Cid;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Reads of the live records: straight from the segments (doc values and the key's postings, without a search) what
 * the writer needs to know about a key before it writes and the live CIDs the catalog digest starts from; and the
 * record with a given CID, through its point.
 */
final class LiveRecords {
  /** The version a key currently has: its CID and whether it is a tombstone. */
  record Version(String cid, boolean tombstone) {}

  /** Documents read to find one CID: those sharing the first eight bytes of its digest. */
  private static final int SAME_CID_ORDER = 8;

  private LiveRecords() {}

  /** The live version under {@code key}: a terms-dictionary seek and two doc-value reads; null if there is none. */
  static Version versionOf(IndexReader reader, BytesRef key) throws IOException {
    for (LeafReaderContext leaf : reader.leaves()) {
      Terms terms = leaf.reader().terms(EntryDocuments.KEY);
      if (terms == null) {
        continue;
      }
      TermsEnum te = terms.iterator();
      if (!te.seekExact(key)) {
        continue;
      }
      PostingsEnum postings = te.postings(null, PostingsEnum.NONE);
      Bits live = leaf.reader().getLiveDocs();
      for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        BinaryDocValues records = leaf.reader().getBinaryDocValues(EntryDocuments.RECORD);
        NumericDocValues tomb = leaf.reader().getNumericDocValues(EntryDocuments.IS_TOMBSTONE);
        if (records != null && records.advanceExact(doc)) {
          boolean isTomb = tomb != null && tomb.advanceExact(doc) && tomb.longValue() == 1;
          return new Version(Cid.fromBytes(EntryRecord.cidOf(records.binaryValue())).toString(), isTomb);
        }
      }
    }
    return null;
  }

  /**
   * The live record with this CID (entry or tombstone), or null. The {@link EntryDocuments#CID_ORDER} point holds
   * eight bytes of the digest: whatever shares them (by chance, 2^-64 a pair) is told apart by the record's CID.
   */
  static EntryRecord withCid(IndexSearcher searcher, Cid cid) throws IOException {
    TopFieldDocs td = searcher.search(LongPoint.newExactQuery(EntryDocuments.CID_ORDER, cid.sortKey()),
        SAME_CID_ORDER, Sort.INDEXORDER);
    int[] docs = new int[td.scoreDocs.length];
    for (int i = 0; i < docs.length; i++) {
      docs[i] = td.scoreDocs[i].doc;
    }
    byte[] wanted = cid.bytes();
    for (EntryRecord r : EntryRecord.read(searcher.getIndexReader(), docs)) {
      if (Arrays.equals(r.cid(), wanted)) {
        return r;
      }
    }
    return null;
  }

  /** Calls {@code each} with the CID of every live entry (tombstones and deleted documents skipped). */
  static void forEachLiveEntryCid(IndexReader reader, Consumer<String> each) throws IOException {
    for (LeafReaderContext leaf : reader.leaves()) {
      Bits live = leaf.reader().getLiveDocs();
      BinaryDocValues records = leaf.reader().getBinaryDocValues(EntryDocuments.RECORD);
      NumericDocValues tomb = leaf.reader().getNumericDocValues(EntryDocuments.IS_TOMBSTONE);
      if (records == null) {
        continue;
      }
      for (int doc = records.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = records.nextDoc()) {
        boolean isTomb = tomb != null && tomb.advanceExact(doc) && tomb.longValue() == 1;
        if ((live == null || live.get(doc)) && !isTomb) {
          each.accept(Cid.fromBytes(EntryRecord.cidOf(records.binaryValue())).toString());
        }
      }
    }
  }
}
