package io.fedsearch.indexer.index;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryCache;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.indexer.entry.Tombstone;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.indexer.search.IndexSegments;
import io.fedsearch.indexer.search.QueryParsing;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.SearchHit;
import io.fedsearch.indexer.search.SearchRequest;
import io.fedsearch.indexer.search.SearchResponse;
import io.fedsearch.indexer.search.StatsSearcher;
import io.fedsearch.indexer.search.VocabularyPage;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * A node's index of signed entries: upsert by (platform, id), tombstones for deletions, search with optional global
 * statistics. Writes are visible to searches at once (near-real-time) and durable after {@link #commit()}: callers
 * acknowledge a write only after committing it.
 *
 * <p>Writers (upsert, delete, commit, close) take one lock among themselves; searches never take it. A search that
 * finds writes it cannot see yet reopens through Lucene's {@link SearcherManager}, whose near-real-time reopen does
 * not wait for a commit's fsync, so a search never waits for a commit in progress.
 */
public final class EntryIndex implements Closeable {
  /**
   * Score descending, then {@link Cid#sortKey()} ascending: the tie order every node applies, so merges are
   * deterministic (see {@link Cid#TIE_ORDER}).
   */
  public static final Sort ORDER = new Sort(SortField.FIELD_SCORE,
      new SortField(EntryDocuments.CID_ORDER, SortField.Type.LONG));
  private static final int PENDING_REFRESH = 50_000;

  public enum Outcome { ADDED, REPLACED, UNCHANGED, DELETED, NOT_FOUND }

  /** What a write did, and the CID now current for the key (the entry's, or the tombstone's). */
  public record WriteResult(Outcome outcome, Cid cid) {}

  /** What a CID names in this index: an entry or a tombstone (exactly one is non-null). */
  public record Stored(SignedEntry entry, Tombstone.Signed tombstone) {}

  private final NodeKey key;
  private final byte[] ownKeyBytes;
  private final long versionOffset = new java.security.SecureRandom().nextLong();
  private final Directory directory;
  private final IndexWriter writer;
  private final NrtSearchers searchers;
  private final QueryParsing queries = new QueryParsing(EntryDocuments.analyzer());
  /** Query terms' postings pointers in the current reader, kept between searches ({@link ReaderTermStates}). */
  private final ReaderTermStates termStates = new ReaderTermStates();
  private final EntryCache decoded = new EntryCache(10_000);
  /** The live entries' digest, kept up to date by every write (see {@link #catalogDigest()}). */
  private final CatalogDigest catalog = new CatalogDigest();
  /**
   * Serializes writers. A lock rather than {@code synchronized}: {@link #commit()} holds it through an fsync, which
   * would pin a virtual thread to its carrier.
   */
  private final ReentrantLock writeLock = new ReentrantLock();
  /**
   * Key → current version of writes the writer's own reads may not see yet (guarded by {@link #writeLock}); cleared
   * when the writer itself refreshes. Searches do not use it: {@link NrtSearchers#fresh} reopens when they lag.
   */
  private final Map<String, LiveRecords.Version> pending = new HashMap<>();

  private EntryIndex(NodeKey key, Directory directory, IndexWriter writer) throws IOException {
    this.key = key;
    this.ownKeyBytes = key.publicKey().bytes();
    this.directory = directory;
    this.writer = writer;
    this.searchers = new NrtSearchers(writer);
    digestExisting();
  }

  /** Adds every live entry already in the index to the catalog digest (once, on open). */
  private void digestExisting() {
    searchers.current(s -> {
      LiveRecords.forEachLiveEntryCid(s.getIndexReader(), catalog::add);
      return null;
    });
  }

  /**
   * A digest of the live entries (not tombstones): equal on two indexes exactly when they hold the same entries,
   * whoever signed them. Replicas of one catalog state it so that askers route them as one only while it agrees.
   */
  public byte[] catalogDigest() {
    return catalog.bytes();
  }

  /** The writer settings of every entry index (also what the benchmark's plain-Lucene baseline uses). */
  public static IndexWriterConfig writerConfig() {
    IndexWriterConfig config = new IndexWriterConfig(EntryDocuments.analyzer());
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    config.setRAMBufferSizeMB(64);
    config.setCommitOnClose(false); // only explicit commits are acknowledged; close never half-commits
    return config;
  }

  public static EntryIndex open(Path dir, NodeKey key) {
    try {
      return open(FSDirectory.open(dir), key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open index at " + dir, e);
    }
  }

  /** Opens the index in {@code directory}, which it then owns and closes (tests pass a wrapping directory). */
  static EntryIndex open(Directory directory, NodeKey key) throws IOException {
    IndexWriter writer;
    try {
      writer = new IndexWriter(directory, writerConfig());
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    try {
      SchemaUpgrade.bringUpToDate(directory, writer);
    } catch (IOException | RuntimeException e) {
      writer.rollback();
      directory.close();
      throw e;
    }
    return new EntryIndex(key, directory, writer);
  }

  public NodePublicKey signer() {
    return key.publicKey();
  }

  /** Signs and stores {@code entry}, replacing any other version under its key; a no-op if already current. */
  public WriteResult upsert(Entry entry) {
    return upsert(SignedEntry.sign(entry, key));
  }

  /** Stores an entry this node signed already. */
  public WriteResult upsert(SignedEntry signed) {
    return upsert(PreparedEntry.of(signed));
  }

  /**
   * Stores an entry whose document was built beforehand (e.g. in parallel by an importer). A key with no version
   * yet is added without a delete-by-term: the lookup that decides ADDED has just shown there is nothing to delete,
   * and skipping the buffered delete saves resolving it against the new segment when it is flushed.
   */
  public WriteResult upsert(PreparedEntry prepared) {
    writeLock.lock();
    try {
      return upsertLocked(prepared);
    } finally {
      writeLock.unlock();
    }
  }

  private WriteResult upsertLocked(PreparedEntry prepared) {
    SignedEntry signed = prepared.signed();
    if (!signed.signer().equals(key.publicKey())) {
      throw new IllegalArgumentException("entry is signed by " + signed.signer() + ", not by this node");
    }
    String k = prepared.key();
    String cid = prepared.cid();
    LiveRecords.Version current = currentVersion(k);
    if (current != null && cid.equals(current.cid())) {
      return new WriteResult(Outcome.UNCHANGED, signed.cid());
    }
    try {
      if (current == null) {
        writer.addDocument(prepared.document());
      } else {
        writer.updateDocument(new Term(EntryDocuments.KEY, k), prepared.document());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("index write failed", e);
    }
    notePending(k, new LiveRecords.Version(cid, false));
    if (current != null && !current.tombstone()) {
      catalog.remove(current.cid());
    }
    catalog.add(cid);
    return new WriteResult(current == null || current.tombstone() ? Outcome.ADDED : Outcome.REPLACED, signed.cid());
  }

  /** Replaces the entry under (platform, id) with a signed tombstone. */
  public WriteResult delete(String platform, String id, Instant at) {
    writeLock.lock();
    try {
      return deleteLocked(platform, id, at);
    } finally {
      writeLock.unlock();
    }
  }

  private WriteResult deleteLocked(String platform, String id, Instant at) {
    Tombstone.Signed t = Tombstone.Signed.sign(new Tombstone(platform, id, at), key);
    LiveRecords.Version current = currentVersion(t.tombstone().key());
    if (current == null || current.tombstone()) {
      return new WriteResult(Outcome.NOT_FOUND, current == null ? null : Cid.parse(current.cid()));
    }
    try {
      writer.updateDocument(new Term(EntryDocuments.KEY, t.tombstone().key()), EntryDocuments.tombstone(t));
    } catch (IOException e) {
      throw new UncheckedIOException("index write failed", e);
    }
    notePending(t.tombstone().key(), new LiveRecords.Version(t.cid().toString(), true));
    catalog.remove(current.cid());
    return new WriteResult(Outcome.DELETED, t.cid());
  }

  /** Makes every write so far durable (fsync). Acknowledge writes only after this returns. */
  public void commit() {
    writeLock.lock();
    try {
      writer.commit();
      refresh();
    } catch (IOException e) {
      throw new UncheckedIOException("index commit failed", e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Records a write just made to the index writer (with {@link #writeLock} held). */
  private void notePending(String k, LiveRecords.Version v) {
    pending.put(k, v);
    searchers.wrote();
    if (pending.size() >= PENDING_REFRESH) {
      refresh();
    }
  }

  /** The writer's refresh (with {@link #writeLock} held): searchers then see every write, so nothing is pending. */
  private void refresh() {
    searchers.refresh();
    pending.clear();
  }

  /** The live version under key {@code k}: a terms-dictionary seek and two doc-value reads, no search. */
  private LiveRecords.Version currentVersion(String k) {
    LiveRecords.Version p = pending.get(k);
    if (p != null) {
      return p;
    }
    return searchers.current(s -> LiveRecords.versionOf(s.getIndexReader(), new BytesRef(k)));
  }

  /** The entry or tombstone with this CID, if this index holds it. */
  public Optional<Stored> get(Cid cid) {
    return searchers.fresh(s -> Optional.ofNullable(LiveRecords.withCid(s, cid)).map(this::stored));
  }

  private Stored stored(EntryRecord r) {
    byte[] block = r.block();
    // Nearly every stored entry is signed by this node: reuse its key rather than parsing (and validating) it again.
    NodePublicKey signer = java.util.Arrays.equals(r.signer(), ownKeyBytes) ? key.publicKey()
        : NodePublicKey.of(r.signer());
    if (isTombstoneBlock(block)) {
      Tombstone t = Tombstone.fromBlock(block);
      return new Stored(null, new Tombstone.Signed(t, Cid.ofDagCbor(block), r.signature(), signer));
    }
    Entry e = decoded.fromBlock(block, r.cid()); // the record's CID finds a block read before without hashing it
    return new Stored(new SignedEntry(e, e.cid(), r.signature(), signer), null);
  }

  static boolean isTombstoneBlock(byte[] block) {
    return block.length > 0 && (block[0] & 0xFF) == 0xA3; // a 3-key map; entries always have at least 8 keys
  }

  public SearchResponse search(SearchRequest req) {
    long start = System.nanoTime();
    return searchers.fresh(base -> {
      Found f = find(base, req);
      List<SearchHit> hits = new ArrayList<>(f.records().length);
      for (int i = 0; i < f.records().length; i++) {
        hits.add(new SearchHit(f.score(i), stored(f.records()[i]).entry()));
      }
      return new SearchResponse(f.totalHits(), hits, f.stats(), (System.nanoTime() - start) / 1000);
    });
  }

  /** One hit as a peer is served it: the stored canonical block and signature, untouched, and the score. */
  public record ServedHit(float score, byte[] cid, byte[] block, byte[] signature) {}

  /**
   * Hits for a peer, and the index version they were found at ({@link #version()}); statistics when requested.
   * Nothing is decoded or re-encoded: the asker checks the block against the CID and the signature itself.
   */
  public record Served(long totalHits, List<ServedHit> hits, QueryStats stats, long version, long tookMicros) {}

  /** {@link #search} for serving to a peer: the same hits in the same order, as stored bytes. */
  public Served serve(SearchRequest req) {
    long start = System.nanoTime();
    return searchers.fresh(base -> {
      Found f = find(base, req);
      List<ServedHit> hits = new ArrayList<>(f.records().length);
      for (int i = 0; i < f.records().length; i++) {
        EntryRecord r = f.records()[i];
        hits.add(new ServedHit(f.score(i), r.cid(), r.block(), r.signature()));
      }
      return new Served(f.totalHits(), hits, f.stats(), version(base), (System.nanoTime() - start) / 1000);
    });
  }

  /** The best hits of a request with their records, and this index's statistics when requested. */
  private record Found(TopFieldDocs top, EntryRecord[] records, QueryStats stats) {
    long totalHits() {
      return top.totalHits.value();
    }

    /**
     * Hit {@code i}'s score, read from its sort value: {@link #ORDER} sorts by score first, so asking the collector
     * to fill in scores as well would only score the top hits a second time (a new weight, every term looked up).
     */
    float score(int i) {
      return (Float) ((FieldDoc) top.scoreDocs[i]).fields[0];
    }
  }

  private Found find(IndexSearcher base, SearchRequest req) throws IOException {
    IndexSearcher s = req.globalStats() == null ? base : new StatsSearcher(base.getIndexReader(), req.globalStats());
    // the parse is remembered across readers; the terms' postings pointers only while this reader is current
    Query text = termStates.withStates(queries.parse(req.query(), req.operator()), base);
    TopFieldDocs td = s.search(IndexQueries.filtered(text, req), req.limit(), ORDER, false);
    return new Found(td, EntryRecord.read(base.getIndexReader(), IndexQueries.docs(td.scoreDocs)),
        req.includeStats() ? IndexStatistics.of(base, text) : null);
  }


  /**
   * The version of what searches see now: it changes with every visible write, so statistics or an empty answer
   * remembered at one version are still exact while the version is unchanged (federated routing relies on it).
   */
  public long version() {
    return searchers.fresh(this::version);
  }

  /**
   * Lucene's reader version offset by a random number drawn when this index was opened: Lucene's counter starts
   * again at 1 in a new index, so a node that rebuilt its index could otherwise report a version it reported before
   * for different contents; with the offset, a reopened or rebuilt index never repeats an earlier version.
   */
  private long version(IndexSearcher s) {
    return versionOffset + ((org.apache.lucene.index.DirectoryReader) s.getIndexReader()).getVersion();
  }

  /**
   * Titles of live entries for a search box's suggestions: the words typed so far must occur in the title, the last
   * one as a prefix (unless the text ends with a space). Shortest titles first; at most {@code max}.
   */
  public List<String> suggestTitles(String typed, int max) {
    Query title = IndexQueries.titlePrefix(typed);
    if (title == null || max < 1) {
      return List.of();
    }
    return searchers.fresh(s -> {
      Query q = new BooleanQuery.Builder().add(title, Occur.MUST).add(IndexQueries.LIVE_ENTRIES, Occur.FILTER).build();
      Set<String> seen = new HashSet<>();
      List<String> titles = new ArrayList<>();
      ScoreDoc[] top = s.search(q, Math.max(50, max * 5), ORDER).scoreDocs;
      for (EntryRecord r : EntryRecord.read(s.getIndexReader(), IndexQueries.docs(top))) {
        String t = decoded.fromBlock(r.block()).title();
        if (seen.add(t.toLowerCase(java.util.Locale.ROOT))) {
          titles.add(t);
        }
      }
      titles.sort(java.util.Comparator.comparingInt(String::length).thenComparing(String.CASE_INSENSITIVE_ORDER));
      return titles.size() > max ? List.copyOf(titles.subList(0, max)) : titles;
    });
  }

  /** Runs {@code work} on a current reader, for read-only tools over the terms (spelling suggestions). */
  public <T> T withReader(java.util.function.Function<org.apache.lucene.index.IndexReader, T> work) {
    return searchers.fresh(s -> work.apply(s.getIndexReader()));
  }

  /** This index's statistics for the terms of {@code query} (phase one of a federated search). */
  public QueryStats statistics(String query, SearchRequest.Operator operator) {
    return versionedStatistics(query, operator).stats();
  }

  /** Statistics and the index version they were read at. */
  public record VersionedStats(QueryStats stats, long version) {}

  /** {@link #statistics(String, SearchRequest.Operator)} with the version of the reader they come from. */
  public VersionedStats versionedStatistics(String query, SearchRequest.Operator operator) {
    return searchers.fresh(s -> new VersionedStats(IndexStatistics.of(s, queries.parse(query, operator)), version(s)));
  }

  /** The segments searches see now, with their figures ({@link IndexSegments}). */
  public IndexSegments segments() {
    return searchers.fresh(s -> IndexVocabulary.segments(s.getIndexReader(), version(s)));
  }

  /**
   * One page of the vocabulary of segment {@code segment} ({@link VocabularyPage}).
   *
   * @throws java.util.NoSuchElementException when searches no longer see that segment (a merge replaced it)
   */
  public VocabularyPage vocabulary(String segment, VocabularyPage.Cursor from, int maxRows, int maxBytes) {
    if (maxRows < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("vocabulary: page limits must be positive");
    }
    return searchers.fresh(s -> IndexVocabulary.page(s.getIndexReader(), segment, from, maxRows, maxBytes));
  }

  /**
   * Up to {@code max} live entries in index order (not by any score): what the node lists, e.g. the public domain
   * of its signal releases.
   */
  public List<SignedEntry> entries(int max) {
    return searchers.fresh(s -> {
      TopFieldDocs td = s.search(IndexQueries.LIVE_ENTRIES, Math.max(1, max), Sort.INDEXORDER);
      List<SignedEntry> out = new java.util.ArrayList<>(td.scoreDocs.length);
      for (EntryRecord r : EntryRecord.read(s.getIndexReader(), IndexQueries.docs(td.scoreDocs))) {
        Stored st = stored(r);
        if (st.entry() != null) {
          out.add(st.entry());
        }
      }
      return out;
    });
  }

  /** Live entries (tombstones excluded). */
  public long entryCount() {
    return count(EntryDocuments.KIND_ENTRY);
  }

  public long tombstoneCount() {
    return count(EntryDocuments.KIND_TOMBSTONE);
  }

  private long count(String kind) {
    return searchers.fresh(s -> (long) s.count(new TermQuery(new Term(EntryDocuments.KIND, kind))));
  }

  /**
   * Whether the index still takes writes: false once closed, or once Lucene closed its writer after a tragic
   * failure (out of memory or disk during a write), after which every write and commit fails.
   */
  public boolean isWritable() {
    return writer.isOpen() && writer.getTragicException() == null;
  }

  /** Closes without committing: only what {@link #commit()} made durable survives, as after a crash. */
  @Override
  public void close() throws IOException {
    writeLock.lock();
    try {
      searchers.close();
      writer.rollback();
      directory.close();
    } finally {
      writeLock.unlock();
    }
  }
}
