package io.fedsearch.indexer.index;

import java.util.Arrays;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.util.BytesRef;

/**
 * What the index keeps of an entry or tombstone, as one binary doc value: {@code cid ‖ signature ‖ signer ‖ block},
 * each part but the block preceded by its length in one byte.
 *
 * <p>Why doc values and not stored fields: a node serves the top hits of every query from every peer, and stored
 * fields are compressed in blocks of many documents, so reading ten hits decompressed ten blocks (most of a
 * federated query's time on the serving side). Binary doc values are written raw and read by position. The price
 * is a larger index (no compression), which a node that answers queries should pay.
 */
record EntryRecord(byte[] cid, byte[] signature, byte[] signer, byte[] block) {
  private static final int MAX_PART = 255;

  EntryRecord {
    for (byte[] part : new byte[][] {cid, signature, signer}) {
      if (part.length > MAX_PART) {
        throw new IllegalArgumentException("record part of " + part.length + " bytes exceeds " + MAX_PART);
      }
    }
  }

  BytesRef encode() {
    byte[] out = new byte[3 + cid.length + signature.length + signer.length + block.length];
    int at = put(out, 0, cid);
    at = put(out, at, signature);
    at = put(out, at, signer);
    System.arraycopy(block, 0, out, at, block.length);
    return new BytesRef(out);
  }

  private static int put(byte[] out, int at, byte[] part) {
    out[at] = (byte) part.length;
    System.arraycopy(part, 0, out, at + 1, part.length);
    return at + 1 + part.length;
  }

  static EntryRecord decode(BytesRef v) {
    byte[] b = v.bytes;
    int at = v.offset;
    int end = v.offset + v.length;
    byte[][] parts = new byte[3][];
    for (int i = 0; i < 3; i++) {
      int len = b[at] & 0xFF;
      if (at + 1 + len > end) {
        throw new IllegalStateException("index record is truncated");
      }
      parts[i] = Arrays.copyOfRange(b, at + 1, at + 1 + len);
      at += 1 + len;
    }
    return new EntryRecord(parts[0], parts[1], parts[2], Arrays.copyOfRange(b, at, end));
  }

  /** Only the CID of an encoded record (its first part): what a write needs to learn the version it replaces. */
  static byte[] cidOf(BytesRef v) {
    int len = v.bytes[v.offset] & 0xFF;
    if (1 + len > v.length) {
      throw new IllegalStateException("index record is truncated");
    }
    return Arrays.copyOfRange(v.bytes, v.offset + 1, v.offset + 1 + len);
  }

  /**
   * The records of top-level documents {@code docs}, in the order given. Doc values are read forward only, so the
   * documents are visited in id order, each leaf's values opened once.
   */
  static EntryRecord[] read(IndexReader reader, int[] docs) throws java.io.IOException {
    Integer[] order = new Integer[docs.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Integer.compare(docs[x], docs[y]));
    EntryRecord[] out = new EntryRecord[docs.length];
    var leaves = reader.leaves();
    LeafReaderContext leaf = null;
    BinaryDocValues values = null;
    for (int i : order) {
      int doc = docs[i];
      if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc() || values.docID() > doc - leaf.docBase) {
        leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
        values = leaf.reader().getBinaryDocValues(EntryDocuments.RECORD);
        if (values == null) {
          throw new IllegalStateException("index segment has no entry records (schema older than this node's?)");
        }
      }
      if (!values.advanceExact(doc - leaf.docBase)) {
        throw new IllegalStateException("document " + doc + " has no entry record");
      }
      out[i] = decode(values.binaryValue());
    }
    return out;
  }
}
