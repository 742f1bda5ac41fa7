package io.fedsearch.indexer.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryLimits;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.indexer.entry.InvalidEntryException;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.index.PreparedEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports JSON Lines into an {@link EntryIndex}. Each line is an entry, or {@code {"platform":…, "id":…,
 * "deleted": true}} to delete one. Bad lines are reported with their number and reason and skipped; good lines are
 * kept. Validation, encoding and signing — the CPU-heavy part — run in parallel per batch; index writes stay in
 * input order, so the last line for a key wins. Every {@link #COMMIT_EVERY} lines and at the end the index is
 * committed, so an interrupted import keeps what it reported as done.
 */
public final class JsonLinesImporter {
  public static final int COMMIT_EVERY = 50_000;
  private static final int BATCH = 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Called after each batch with the lines read so far and their bytes. */
  public interface Progress {
    void update(long lines, long bytes);

    Progress NONE = (l, b) -> {};
  }

  private final EntryIndex index;
  private final NodeKey key;
  private final EntryParser parser;
  private final String platform;

  /**
   * @param platform the platform this node serves: lines without one get it, and lines naming another are refused
   *     (peers accept an entry only when its platform is the one its signer's platform record names); null
   *     accepts any platform (benchmarks that index several catalogs in one index)
   */
  public JsonLinesImporter(EntryIndex index, NodeKey key, String platform) {
    this.index = index;
    this.key = key;
    this.parser = new EntryParser(platform);
    this.platform = platform;
  }

  private String checkPlatform(String p) {
    if (platform != null && !platform.equals(p)) {
      throw new InvalidEntryException("platform", "this node serves platform " + platform + "; an entry of " + p
          + " must come from " + p + "'s own node (peers refuse entries whose platform is not their signer's)");
    }
    return p;
  }

  public ImportReport run(BufferedReader in, String source, Progress progress) {
    long start = System.nanoTime();
    Counts c = new Counts();
    long lineNo = 0;
    long bytes = 0;
    long[] sinceCommit = {0};
    long[] applied = {0};
    try (BatchPipeline<Object> pipeline = new BatchPipeline<>(BATCH, this::prepare, (prepared, first) -> {
      apply(prepared, first, c);
      applied[0] = first + prepared.size() - 1;
      sinceCommit[0] += prepared.size();
      if (sinceCommit[0] >= COMMIT_EVERY) {
        index.commit();
        sinceCommit[0] = 0;
      }
    })) {
      for (String line; (line = in.readLine()) != null; ) {
        lineNo++;
        bytes += line.length() + 1;
        pipeline.add(line);
        if (lineNo % BATCH == 0) {
          progress.update(lineNo, bytes);
        }
      }
      pipeline.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + source + " failed at line " + (lineNo + 1)
          + "; lines up to " + applied[0] + " were imported", e);
    }
    index.commit();
    progress.update(lineNo, bytes);
    return new ImportReport(source, lineNo, c.added, c.replaced, c.unchanged, c.deleted, c.rejected,
        List.copyOf(c.errors), (System.nanoTime() - start) / 1_000_000, c.unpriced);
  }

  private void apply(List<Object> prepared, long firstLine, Counts c) {
    for (int i = 0; i < prepared.size(); i++) {
      long lineNo = firstLine + i;
      switch (prepared.get(i)) {
        case Blank b -> { }
        case PreparedEntry pe -> {
          c.note(pe.signed().entry());
          c.count(index.upsert(pe).outcome());
        }
        case Delete d -> c.count(index.delete(d.platform, d.id, Instant.now()).outcome());
        case InvalidEntryException e -> c.reject(lineNo, e);
        default -> throw new IllegalStateException("unexpected " + prepared.get(i));
      }
    }
  }

  /** A blank line: skipped, but still counted so later line numbers stay right. */
  private enum Blank { LINE }

  private record Delete(String platform, String id) {}

  /**
   * A signed entry with its index document, a delete request, an error, or {@link Blank}: everything a line needs
   * before the ordered write, so it runs on the pipeline's threads in parallel.
   */
  private Object prepare(String line) {
    if (line.isBlank()) {
      return Blank.LINE;
    }
    try {
      if (EntryParser.longerThan(line, EntryLimits.JSON_LINE)) {
        return new InvalidEntryException(null, "line longer than " + EntryLimits.JSON_LINE + " bytes");
      }
      if (line.contains("\"deleted\"")) {
        JsonNode node = JSON.readTree(line);
        if (node != null && node.isObject() && node.path("deleted").asBoolean(false)) {
          Entry probe = parser.parse(((ObjectNode) node.deepCopy()).put("title", "-")); // validates platform, id
          return new Delete(checkPlatform(probe.platform()), probe.id());
        }
      }
      Entry entry = parser.parse(line);
      checkPlatform(entry.platform());
      return PreparedEntry.of(SignedEntry.sign(entry, key));
    } catch (InvalidEntryException e) {
      return e;
    } catch (IOException e) {
      return new InvalidEntryException(null, "malformed JSON: " + e.getMessage());
    }
  }

  private static final class Counts {
    long added;
    long replaced;
    long unchanged;
    long deleted;
    long rejected;
    long unpriced;
    final List<ImportReport.LineError> errors = new ArrayList<>();

    /** Counts what the operator should hear about an accepted entry: it has no price, so it shows as free. */
    void note(Entry e) {
      if (e.price() == 0) {
        unpriced++;
      }
    }

    void count(EntryIndex.Outcome o) {
      switch (o) {
        case ADDED -> added++;
        case REPLACED -> replaced++;
        case UNCHANGED, NOT_FOUND -> unchanged++;
        case DELETED -> deleted++;
      }
    }

    void reject(long line, InvalidEntryException e) {
      rejected++;
      if (errors.size() < ImportReport.MAX_ERRORS) {
        errors.add(new ImportReport.LineError(line, e.field(), e.getMessage()));
      }
    }
  }
}
