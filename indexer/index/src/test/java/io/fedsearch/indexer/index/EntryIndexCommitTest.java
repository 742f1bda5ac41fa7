package io.fedsearch.indexer.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.search.SearchRequest;
import io.fedsearch.indexer.search.SearchResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Searches and a commit in progress: a search must not wait for the writer's fsync. */
class EntryIndexCommitTest {
  private final NodeKey key = NodeKey.generate();

  /**
   * A directory whose fsync of segment files, once held, waits until released: a commit stuck on a slow disk. The
   * small {@code pending_segments_N} file is let through: Lucene's writer fsyncs that one under its own monitor,
   * which a near-real-time reopen also takes; the segment files, the bulk of a commit's fsync, it syncs outside.
   */
  private static final class SlowSyncDirectory extends FilterDirectory {
    final AtomicBoolean hold = new AtomicBoolean();
    final CountDownLatch syncing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    SlowSyncDirectory(Path dir) throws IOException {
      super(FSDirectory.open(dir));
    }

    @Override
    public void sync(Collection<String> names) throws IOException {
      if (hold.get() && names.stream().noneMatch(n -> n.contains("segments"))) {
        syncing.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("sync interrupted");
        }
      }
      super.sync(names);
    }
  }

  @Test
  void aSearchCompletesWhileACommitWaitsForItsFsync(@TempDir Path dir) throws Exception {
    SlowSyncDirectory slow = new SlowSyncDirectory(dir);
    // A thread each: the common pool may have a single worker on a small machine, which the commit would occupy.
    try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory());
        EntryIndex index = EntryIndex.open(slow, key)) {
      index.upsert(new Entry("shop", "a", "Red kettle", "boils water", "ann", List.of(), "", 10, null, null));
      slow.hold.set(true);
      CompletableFuture<Void> commit = CompletableFuture.runAsync(index::commit, threads);
      try {
        assertThat(slow.syncing.await(60, TimeUnit.SECONDS)).as("the commit reached its fsync").isTrue();
        CompletableFuture<SearchResponse> search =
            CompletableFuture.supplyAsync(() -> index.search(SearchRequest.of("kettle", 10)), threads);
        // The write before the commit is visible (near-real-time) although it is not durable yet.
        assertThat(search.get(30, TimeUnit.SECONDS).totalHits()).isEqualTo(1);
        assertThat(index.entryCount()).isEqualTo(1);
        assertThat(commit).as("the commit is still waiting for its fsync").isNotDone();
      } finally {
        slow.release.countDown();
      }
      commit.get(60, TimeUnit.SECONDS);
    }
    // And the commit did make the write durable.
    try (EntryIndex reopened = EntryIndex.open(dir, key)) {
      assertThat(reopened.entryCount()).isEqualTo(1);
    }
  }
}
