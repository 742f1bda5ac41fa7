package io.fedsearch.indexer.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;

/**
 * The searchers of an {@link EntryIndex}: Lucene's {@link SearcherManager} over the writer (near-real-time), reopened
 * only when a write has returned that the current searcher may miss. Takes no writer lock: Lucene's near-real-time
 * reopen runs beside a commit, so a search never waits for a commit's fsync.
 */
final class NrtSearchers implements Closeable {
  /** Work on one acquired searcher. */
  interface Work<T> {
    T apply(IndexSearcher s) throws IOException;
  }

  private final SearcherManager manager;
  /** How many writes have been made to the index writer (incremented after each one returns). */
  private final AtomicLong written = new AtomicLong();
  /** A count of writes that the current searchers are known to include. */
  private final AtomicLong visible = new AtomicLong();

  NrtSearchers(IndexWriter writer) throws IOException {
    this.manager = new SearcherManager(writer, null);
  }

  /** Notes a write that has just returned from the writer. */
  void wrote() {
    written.incrementAndGet();
  }

  /** Runs {@code work} on a searcher that sees every write returned so far. */
  <T> T fresh(Work<T> work) {
    if (visible.get() < written.get()) {
      refresh();
    }
    return current(work);
  }

  /** Runs {@code work} on the current searcher as it is (the writer's own lookups, which know what is pending). */
  <T> T current(Work<T> work) {
    try {
      IndexSearcher s = manager.acquire();
      try {
        return work.apply(s);
      } finally {
        manager.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("index read failed", e);
    }
  }

  /** Reopens now, so the searchers include every write returned before this call. */
  void refresh() {
    // Read the count before reopening: the reopened reader holds at least every write counted by then.
    long target = written.get();
    try {
      manager.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException("index refresh failed", e);
    }
    visible.accumulateAndGet(target, Math::max);
  }

  @Override
  public void close() throws IOException {
    manager.close();
  }
}
