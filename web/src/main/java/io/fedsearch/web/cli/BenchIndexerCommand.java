package io.fedsearch.web.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.bench.indexer.IndexerBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "indexer",
    mixinStandardHelpOptions = true,
    description = "Index entries through the full path and as plain Lucene documents; query latency and quality.")
public final class BenchIndexerCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Entries to index.")
  Path data;

  @Option(names = "--queries", paramLabel = "QUERIES.jsonl", description = "Known-item queries {query, platform, id}.")
  Path queries;

  @Mixin
  JsonOption output;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("fedsearch-bench-indexer");
    try {
      ObjectNode figures = IndexerBench.run(data, queries, work);
      ObjectMapper m = new ObjectMapper();
      System.out.println(output.json() ? m.writeValueAsString(figures) : m.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
      return 0;
    } finally {
      TempDirs.deleteRecursively(work);
    }
  }
}
