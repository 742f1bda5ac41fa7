package io.fedsearch.web.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.importer.ImportReport;
import io.fedsearch.indexer.importer.JsonLinesImporter;
import io.fedsearch.indexer.index.EntryIndex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * A node's local state opened for use: its identity, its index and its import history. One process at a time may
 * open a node directory (Lucene's write lock enforces it; the error says so).
 */
public final class LocalNode implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeDirectory dir;
  private final NodeKey key;
  private final EntryIndex index;
  /**
   * One import at a time. A lock rather than {@code synchronized}: an import commits the index and fsyncs the
   * history, which inside a monitor would pin a virtual thread to its carrier.
   */
  private final ReentrantLock importing = new ReentrantLock();

  private LocalNode(NodeDirectory dir, NodeKey key, EntryIndex index) {
    this.dir = dir;
    this.key = key;
    this.index = index;
  }

  private volatile java.util.function.Consumer<ImportReport> importListener = r -> {};

  /** Told of every finished import (the node's metrics). */
  public void onImport(java.util.function.Consumer<ImportReport> listener) {
    this.importListener = listener;
  }

  public static LocalNode open(NodeDirectory dir) {
    NodeKey key = dir.key();
    try {
      return new LocalNode(dir, key, EntryIndex.open(dir.indexDir(), key));
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof LockObtainFailedException) {
        throw new IllegalStateException("the index in " + dir.root() + " is in use by another process (a running"
            + " node?); import through its API (POST /api/entries) or stop it first", e);
      }
      throw e;
    }
  }

  public NodeDirectory directory() {
    return dir;
  }

  public NodeKey key() {
    return key;
  }

  public EntryIndex index() {
    return index;
  }

  /**
   * Imports JSON Lines and records the run in the import history. Everything accepted is committed (durable)
   * before this returns.
   */
  public ImportReport importLines(BufferedReader in, String source, JsonLinesImporter.Progress progress) {
    importing.lock();
    try {
      ImportReport report = new JsonLinesImporter(index, key, dir.platform()).run(in, source, progress);
      importListener.accept(report);
      ObjectNode line = JSON.createObjectNode()
          .put("time", Instant.now().toString()).put("source", source).put("lines", report.lines())
          .put("added", report.added()).put("replaced", report.replaced()).put("unchanged", report.unchanged())
          .put("deleted", report.deleted()).put("rejected", report.rejected()).put("millis", report.millis());
      try {
        Files.writeString(dir.importHistory(), JSON.writeValueAsString(line) + "\n",
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to " + dir.importHistory(), e);
      }
      return report;
    } finally {
      importing.unlock();
    }
  }

  /** The most recent imports, newest first. */
  /** Live entries without a price: every page shows them as free, which the operator should hear about. */
  public long unpricedCount() {
    return index.search(new io.fedsearch.indexer.search.SearchRequest("", null, 1, java.util.Set.of(), null, null, 0L,
        0L, false, null)).totalHits();
  }

  public List<String> importHistory(int max) {
    try {
      if (!Files.exists(dir.importHistory())) {
        return List.of();
      }
      List<String> all = Files.readAllLines(dir.importHistory());
      List<String> out = new ArrayList<>();
      for (int i = all.size() - 1; i >= 0 && out.size() < max; i--) {
        if (!all.get(i).isBlank()) {
          out.add(all.get(i));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.importHistory(), e);
    }
  }

  @Override
  public void close() throws IOException {
    index.close();
  }
}
