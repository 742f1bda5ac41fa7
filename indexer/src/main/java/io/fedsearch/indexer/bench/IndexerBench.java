package io.fedsearch.indexer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.indexer.importer.BatchPipeline;
import io.fedsearch.indexer.importer.ImportReport;
import io.fedsearch.indexer.importer.JsonLinesImporter;
import io.fedsearch.indexer.index.EntryDocuments;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.search.SearchHit;
import io.fedsearch.indexer.search.SearchRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * Indexes the same entries twice in one run — the full path (validation, canonical encoding, CID, signature,
 * Lucene) and plain Lucene documents (the baseline) — with the same batching and parallelism, then runs a
 * known-item query set against the full index for latency and ranking quality.
 */
public final class IndexerBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static ObjectNode run(Path data, Path queries, Path workDir) throws IOException {
    List<String> lines = Files.readAllLines(data);
    KnownItemQueries qs = queries == null ? new KnownItemQueries(List.of()) : KnownItemQueries.read(queries);
    NodeKey key = NodeKey.generate();

    // Warm the JIT on a slice of both paths so neither measured pass pays for class loading alone.
    List<String> warm = lines.subList(0, Math.min(2000, lines.size()));
    fullPath(warm, key, Files.createTempDirectory(workDir, "warm-full")).close();
    baseline(warm, Files.createTempDirectory(workDir, "warm-base"));

    long t0 = System.nanoTime();
    Result full = fullPath(lines, key, Files.createTempDirectory(workDir, "full"));
    double fullSeconds = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    int baseCount = baseline(lines, Files.createTempDirectory(workDir, "baseline"));
    double baseSeconds = (System.nanoTime() - t1) / 1e9;

    ObjectNode out = JSON.createObjectNode();
    long accepted = full.report.accepted();
    out.put("entries", accepted);
    out.put("rejected", full.report.rejected());
    out.put("entries_per_s", round(accepted / fullSeconds));
    out.put("baseline_entries_per_s", round(baseCount / baseSeconds));
    out.put("ratio", round((accepted / fullSeconds) / (baseCount / baseSeconds)));
    try (EntryIndex index = full.index) {
      queryFigures(index, qs, out);
    }
    return out;
  }

  private record Result(EntryIndex index, ImportReport report) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      index.close();
    }
  }

  private static Result fullPath(List<String> lines, NodeKey key, Path dir) {
    EntryIndex index = EntryIndex.open(dir, key);
    ImportReport r = new JsonLinesImporter(index, key, null)
        .run(new BufferedReader(new StringReader(String.join("\n", lines))), "bench", JsonLinesImporter.Progress.NONE);
    return new Result(index, r);
  }

  /** Plain Lucene: parse the JSON, index title and description, store the line. Same pipeline as the importer. */
  private static int baseline(List<String> lines, Path dir) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(EntryDocuments.analyzer());
    config.setRAMBufferSizeMB(64);
    int[] n = {0};
    try (FSDirectory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, config);
        BatchPipeline<Document> pipeline = new BatchPipeline<>(1024, IndexerBench::plainDocument, (docs, first) -> {
          try {
            for (Document doc : docs) {
              w.addDocument(doc);
              n[0]++;
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })) {
      lines.forEach(pipeline::add);
      pipeline.finish();
      w.commit();
    }
    return n[0];
  }

  private static Document plainDocument(String line) {
    try {
      JsonNode j = JSON.readTree(line);
      Document doc = new Document();
      doc.add(new StringField("id", j.path("platform").asText() + "\u0000" + j.path("id").asText(), Field.Store.YES));
      doc.add(new TextField(EntryDocuments.TITLE, j.path("title").asText(), Field.Store.NO));
      doc.add(new TextField(EntryDocuments.DESCRIPTION, j.path("description").asText(), Field.Store.NO));
      doc.add(new StoredField("line", line));
      return doc;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void queryFigures(EntryIndex index, KnownItemQueries qs, ObjectNode out) {
    if (qs.queries().isEmpty()) {
      return;
    }
    for (KnownItemQueries.Query q : qs.queries()) { // warm-up pass
      index.search(SearchRequest.of(q.text(), 10));
    }
    long[] nanos = new long[qs.queries().size()];
    double rr = 0;
    int found = 0;
    for (int i = 0; i < nanos.length; i++) {
      KnownItemQueries.Query q = qs.queries().get(i);
      long s = System.nanoTime();
      List<SearchHit> hits = index.search(SearchRequest.of(q.text(), 10)).hits();
      nanos[i] = System.nanoTime() - s;
      List<String> keys = new ArrayList<>();
      for (SearchHit h : hits) {
        keys.add(h.entry().entry().key());
      }
      double r = KnownItemQueries.reciprocalRank(keys, Entry.key(q.platform(), q.id()), 10);
      rr += r;
      found += r > 0 ? 1 : 0;
    }
    Arrays.sort(nanos);
    out.put("queries", nanos.length);
    out.put("p50_ms", round(percentile(nanos, 0.50) / 1e6));
    out.put("p99_ms", round(percentile(nanos, 0.99) / 1e6));
    out.put("mrr10", round(rr / nanos.length));
    out.put("recall10", round((double) found / nanos.length));
  }

  /** Nearest-rank percentile of sorted values. */
  public static double percentile(long[] sorted, double p) {
    int idx = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private IndexerBench() {}
}
