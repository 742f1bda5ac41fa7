package io.fedsearch.indexer.index;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.indexer.entry.Tombstone;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;

/**
 * Keeps an index's documents in the current {@link EntryDocuments#SCHEMA}: every commit is marked with it, and an
 * index written under an older schema is rewritten when opened. The rewrite rebuilds each live document from what
 * the old one kept (block, signature, signer: stored fields under schema 1, the record since 2) and replaces the
 * whole index in one commit, so a crash part-way leaves the old commit in place and the next open starts again:
 * nothing accepted is lost either way.
 */
final class SchemaUpgrade {
  private static final Logger LOG = Logger.getLogger(SchemaUpgrade.class.getName());
  // Schema 1 kept these as stored fields.
  private static final String V1_BLOCK = "block";
  private static final String V1_SIGNATURE = "sig";
  private static final String V1_SIGNER = "signer";

  private SchemaUpgrade() {}

  static void bringUpToDate(Directory dir, IndexWriter writer) throws IOException {
    int found = DirectoryReader.indexExists(dir) ? schemaOf(dir) : EntryDocuments.SCHEMA;
    if (found > EntryDocuments.SCHEMA) {
      throw new IllegalStateException("the index was written by a newer fedsearch (schema " + found
          + "; this one reads up to " + EntryDocuments.SCHEMA + ")");
    }
    writer.setLiveCommitData(Map.of(EntryDocuments.SCHEMA_KEY, Integer.toString(EntryDocuments.SCHEMA)).entrySet());
    if (found < EntryDocuments.SCHEMA) {
      int docs = rewrite(dir, writer, found);
      LOG.info("index upgraded from schema " + found + " to " + EntryDocuments.SCHEMA + ": " + docs
          + " documents rewritten");
    }
  }

  /** The schema of the last commit: absent means 1, the only schema before commits were marked. */
  static int schemaOf(Directory dir) throws IOException {
    String v = SegmentInfos.readLatestCommit(dir).getUserData().get(EntryDocuments.SCHEMA_KEY);
    try {
      return v == null ? 1 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("the index's schema mark is not a number: " + v, e);
    }
  }

  /**
   * Rebuilds every live document from what it kept under schema {@code found}: stored fields under 1, the record's
   * binary doc values since 2.
   */
  private static int rewrite(Directory dir, IndexWriter writer, int found) throws IOException {
    int n = 0;
    try (DirectoryReader old = DirectoryReader.open(dir)) {
      writer.deleteAll(); // the old commit keeps its files until the rewrite is committed
      for (LeafReaderContext leaf : old.leaves()) {
        StoredFields fields = found == 1 ? leaf.reader().storedFields() : null;
        BinaryDocValues records = found == 1 ? null : leaf.reader().getBinaryDocValues(EntryDocuments.RECORD);
        Bits live = leaf.reader().getLiveDocs();
        for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          if (fields != null) {
            Document d = fields.document(doc);
            writer.addDocument(rebuild(d.getBinaryValue(V1_BLOCK).bytes, d.getBinaryValue(V1_SIGNATURE).bytes,
                d.getBinaryValue(V1_SIGNER).bytes));
          } else {
            if (records == null || !records.advanceExact(doc)) {
              throw new IllegalStateException("document " + doc + " of " + leaf.reader() + " has no record");
            }
            EntryRecord r = EntryRecord.decode(records.binaryValue());
            writer.addDocument(rebuild(r.block(), r.signature(), r.signer()));
          }
          n++;
        }
      }
      writer.commit();
    }
    return n;
  }

  private static Document rebuild(byte[] block, byte[] sig, byte[] signerBytes) {
    NodePublicKey signer = NodePublicKey.of(signerBytes);
    if (EntryIndex.isTombstoneBlock(block)) {
      return EntryDocuments.tombstone(new Tombstone.Signed(Tombstone.fromBlock(block), Cid.ofDagCbor(block), sig,
          signer));
    }
    Entry e = Entry.fromBlock(block);
    return EntryDocuments.entry(new SignedEntry(e, e.cid(), sig, signer));
  }
}
