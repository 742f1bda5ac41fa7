package io.fedsearch.web.cli;

import io.fedsearch.indexer.importer.ImportReport;
import io.fedsearch.web.node.LocalNode;
import io.fedsearch.web.node.NodeDirectory;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fedsearch import --dir DIR FILE.jsonl}: bulk import into a (stopped) node. Shows progress on a terminal,
 * reports each bad line with its number and reason, keeps the good ones, exits 1 when anything was rejected.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import entries from a JSON Lines file.")
public final class ImportCommand implements Callable<Integer> {
  @Mixin
  NodeDirOption nodeDir;

  @Parameters(index = "0", paramLabel = "FILE.jsonl", description = "Entries, one JSON object per line.")
  Path file;

  @Mixin
  JsonOption output;

  /** Off a terminal (CI, a pipe, a log), a progress line this often so a long import is seen to move. */
  static final long PROGRESS_LINE_NANOS = 5_000_000_000L;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such file: " + file);
    }
    long size = Files.size(file);
    boolean tty = System.console() != null && !output.json();
    ImportReport r;
    try (LocalNode node = LocalNode.open(NodeDirectory.open(nodeDir.dir()));
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long start = System.nanoTime();
      long[] lastLine = {start};
      r = node.importLines(in, file.toString(), (lines, bytes) -> {
        long now = System.nanoTime();
        double secs = Math.max(1e-3, (now - start) / 1e9);
        // Characters are counted, not bytes, so multi-byte text ends short of the size: cap below 100 until done.
        long pct = size == 0 ? 99 : Math.min(99, bytes * 100 / size);
        if (tty) {
          System.err.printf("\r%,d lines  %3d%%  %,.0f lines/s ", lines, pct, lines / secs);
        } else if (now - lastLine[0] >= PROGRESS_LINE_NANOS) {
          lastLine[0] = now;
          System.err.printf("import: %,d lines (about %d%%), %,.0f lines/s%n", lines, pct, lines / secs);
        }
      });
      if (tty) {
        System.err.printf("\r%,d lines  100%%%n", r.lines());
      }
    }
    for (ImportReport.LineError e : r.errors()) {
      System.err.println(file + ":" + e.line() + ": " + e.message());
    }
    if (r.rejected() > r.errors().size()) {
      System.err.println("... and " + (r.rejected() - r.errors().size()) + " more rejected lines");
    }
    warnings(r);
    if (output.json()) {
      var out = io.fedsearch.web.http.Json.object()
          .put("file", file.toString()).put("lines", r.lines()).put("added", r.added()).put("replaced", r.replaced())
          .put("unchanged", r.unchanged()).put("deleted", r.deleted()).put("rejected", r.rejected())
          .put("millis", r.millis()).put("unpriced", r.unpriced());
      System.out.println(io.fedsearch.web.http.Json.MAPPER.writeValueAsString(out));
    } else {
      System.out.printf("%s: %,d lines: %,d added, %,d replaced, %,d unchanged, %,d deleted, %,d rejected (%.1f s)%n",
          file, r.lines(), r.added(), r.replaced(), r.unchanged(), r.deleted(), r.rejected(), r.millis() / 1000.0);
    }
    return r.rejected() == 0 ? 0 : 1;
  }

  /** What the operator should hear about accepted lines: entries without a price show as free. */
  private static void warnings(ImportReport r) {
    if (r.unpriced() > 0) {
      System.err.printf("note: %,d entries have no \"price\" (drops), so every page shows them as free; add a price to "
          + "the lines to sell them.%n", r.unpriced());
    }
  }
}
