package io.fedsearch.indexer.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.indexer.entry.Tombstone;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.search.SearchRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index written under an older schema (1: stored fields, no mark; 2: no CID point) is rewritten on open. */
class SchemaUpgradeTest {
  /** Schemas 1 and 2 found a CID through a term of its text, in this field. */
  private static final String V1_V2_CID = "cid";
  private final NodeKey key = NodeKey.generate();
  private final SignedEntry kept = SignedEntry.sign(entry("1", "lantern"), key);
  private final SignedEntry replaced = SignedEntry.sign(entry("2", "kettle"), key);
  private final SignedEntry current = SignedEntry.sign(entry("2", "kettle deluxe"), key);
  private final Tombstone.Signed gone = Tombstone.Signed.sign(
      new Tombstone("shop", "3", Instant.parse("2026-01-02T00:00:00Z")), key);

  private static Entry entry(String id, String title) {
    return new Entry("shop", id, title, "a thing called " + title, "ann", List.of("t"), "", 100, null, null);
  }

  /** A document as an older schema wrote it. */
  private interface OldDocument {
    Document of(String kind, String key, Cid cid, String title, byte[] block, byte[] sig, byte[] signer);
  }

  /**
   * Writes, as an older schema did: {@link #kept}, {@link #replaced} and then {@link #current} over it, and the
   * tombstone {@link #gone}; the commit marked with {@code schemaMark} (schema 1 wrote no mark: null).
   */
  private void writeOld(Path dir, String schemaMark, OldDocument doc) throws IOException {
    try (FSDirectory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, EntryIndex.writerConfig())) {
      if (schemaMark != null) {
        w.setLiveCommitData(Map.of(EntryDocuments.SCHEMA_KEY, schemaMark).entrySet());
      }
      for (SignedEntry s : List.of(kept, replaced)) {
        w.addDocument(doc.of("entry", s.entry().key(), s.cid(), s.entry().title(), s.entry().encode(),
            s.signature(), s.signer().bytes()));
      }
      w.updateDocument(new Term(EntryDocuments.KEY, current.entry().key()), doc.of("entry",
          current.entry().key(), current.cid(), current.entry().title(), current.entry().encode(),
          current.signature(), current.signer().bytes()));
      w.addDocument(doc.of("tombstone", gone.tombstone().key(), gone.cid(), null, gone.tombstone().encode(),
          gone.signature(), gone.signer().bytes()));
      w.commit();
    }
  }

  /** A document as schema 1 wrote it. */
  private static Document v1(String kind, String key, Cid cid, String title, byte[] block, byte[] sig,
      byte[] signer) {
    Document d = new Document();
    d.add(new StringField(EntryDocuments.KIND, kind, Field.Store.NO));
    d.add(new StringField(EntryDocuments.KEY, key, Field.Store.NO));
    d.add(new StringField(V1_V2_CID, cid.toString(), Field.Store.NO));
    d.add(new SortedDocValuesField(V1_V2_CID, new BytesRef(cid.toString())));
    if (title != null) {
      d.add(new TextField(EntryDocuments.TITLE, title, Field.Store.NO));
    }
    d.add(new StoredField("block", block));
    d.add(new StoredField("sig", sig));
    d.add(new StoredField("signer", signer));
    return d;
  }

  @Test
  void schemaOneIndexIsRewrittenWithEveryLiveEntryAndTombstone(@TempDir Path dir) throws Exception {
    writeOld(dir, null, SchemaUpgradeTest::v1);

    try (EntryIndex index = EntryIndex.open(dir, key)) {
      assertThat(index.entryCount()).isEqualTo(2);
      assertThat(index.tombstoneCount()).isEqualTo(1);
      var hits = index.search(SearchRequest.of("kettle", 10)).hits();
      assertThat(hits).singleElement().satisfies(h -> {
        assertThat(h.entry().cid()).isEqualTo(current.cid());
        assertThat(h.entry().signature()).isEqualTo(current.signature());
        assertThat(h.entry().verify()).isTrue();
      });
      assertThat(index.get(kept.cid())).hasValueSatisfying(s -> assertThat(s.entry().verify()).isTrue());
      assertThat(index.get(replaced.cid())).isEmpty();
      assertThat(index.get(gone.cid())).hasValueSatisfying(s -> assertThat(s.tombstone().cid()).isEqualTo(gone.cid()));
      // Writes go on as before: replacing by key finds the rewritten version.
      assertThat(index.upsert(entry("1", "lantern, brass")).outcome()).isEqualTo(EntryIndex.Outcome.REPLACED);
      index.commit();
    }
    try (FSDirectory d = FSDirectory.open(dir)) {
      assertThat(SchemaUpgrade.schemaOf(d)).isEqualTo(EntryDocuments.SCHEMA);
    }
    try (EntryIndex again = EntryIndex.open(dir, key)) { // already current: opened as is
      assertThat(again.search(SearchRequest.of("lantern", 10)).hits()).singleElement()
          .satisfies(h -> assertThat(h.entry().entry().title()).isEqualTo("lantern, brass"));
    }
  }

  /** A document as schema 2 wrote it: the record in doc values, the CID as a term of its text (no point). */
  private static Document v2(String kind, String key, Cid cid, String title, byte[] block,
      byte[] sig, byte[] signer) {
    Document d = new Document();
    d.add(new StringField(EntryDocuments.KIND, kind, Field.Store.NO));
    d.add(new NumericDocValuesField(EntryDocuments.IS_TOMBSTONE, kind.equals("tombstone") ? 1 : 0));
    d.add(new StringField(EntryDocuments.KEY, key, Field.Store.NO));
    d.add(new StringField(V1_V2_CID, cid.toString(), Field.Store.NO));
    if (title != null) {
      d.add(new TextField(EntryDocuments.TITLE, title, Field.Store.NO));
    }
    d.add(new NumericDocValuesField(EntryDocuments.CID_ORDER, cid.sortKey()));
    d.add(new BinaryDocValuesField(EntryDocuments.RECORD,
        new EntryRecord(cid.bytes(), sig, signer, block).encode()));
    return d;
  }

  @Test
  void schemaTwoIndexIsRewrittenSoEveryCidIsFoundAgain(@TempDir Path dir) throws Exception {
    writeOld(dir, "2", SchemaUpgradeTest::v2);

    try (EntryIndex index = EntryIndex.open(dir, key)) {
      // Schema 2's documents have no CID point: without the rewrite none of these would be found.
      assertThat(index.get(kept.cid())).hasValueSatisfying(s -> assertThat(s.entry().verify()).isTrue());
      assertThat(index.get(current.cid())).hasValueSatisfying(
          s -> assertThat(s.entry().entry().title()).isEqualTo("kettle deluxe"));
      assertThat(index.get(replaced.cid())).isEmpty();
      assertThat(index.get(gone.cid())).hasValueSatisfying(s -> assertThat(s.tombstone().cid()).isEqualTo(gone.cid()));
      assertThat(index.entryCount()).isEqualTo(2);
      assertThat(index.tombstoneCount()).isEqualTo(1);
      assertThat(index.search(SearchRequest.of("kettle", 10)).hits()).singleElement()
          .satisfies(h -> assertThat(h.entry().cid()).isEqualTo(current.cid()));
      assertThat(index.upsert(entry("1", "lantern, brass")).outcome()).isEqualTo(EntryIndex.Outcome.REPLACED);
      index.commit();
    }
    try (FSDirectory d = FSDirectory.open(dir)) {
      assertThat(SchemaUpgrade.schemaOf(d)).isEqualTo(EntryDocuments.SCHEMA);
    }
  }

  @Test
  void anIndexFromANewerSchemaIsRefusedUntouched(@TempDir Path dir) throws Exception {
    try (FSDirectory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, EntryIndex.writerConfig())) {
      w.setLiveCommitData(Map.of(EntryDocuments.SCHEMA_KEY, "99").entrySet());
      w.commit();
    }
    assertThatThrownBy(() -> EntryIndex.open(dir, key)).hasMessageContaining("newer fedsearch (schema 99");
    try (FSDirectory d = FSDirectory.open(dir)) {
      assertThat(SchemaUpgrade.schemaOf(d)).isEqualTo(99);
    }
  }
}
