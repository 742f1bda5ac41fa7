package io.fedsearch.web.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.LinkDelay;
import io.fedsearch.bench.query.FederationBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedsearch bench federation}: N loopback nodes vs one index over the union (see {@link FederationBench}). */
@Command(name = "federation", mixinStandardHelpOptions = true,
    description = "Federated search over N loopback nodes against one Lucene index over the union: latency, "
        + "throughput and top-10 agreement.")
public final class BenchFederationCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "10", description = "Nodes to start (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--data", required = true, split = ",", paramLabel = "FILE.jsonl",
      description = "Catalogs to split across the nodes (comma-separated).")
  List<Path> data;

  @Option(names = "--queries", required = true, split = ",", paramLabel = "QUERIES.jsonl",
      description = "Known-item query files {query, platform, id} (comma-separated).")
  List<Path> queries;

  @Option(names = "--split", defaultValue = "round_robin", description = "round_robin or random (default ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the random split (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--limit", defaultValue = "10", description = "Results per query (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--warmup", defaultValue = "auto", description = "Warm-up before measuring: auto (the default) asks "
      + "queries in rounds until the JIT has settled, at most 120 s; a number asks every query that many times instead "
      + "(smoke runs).")
  String warmup;

  @Option(names = "--concurrency", defaultValue = "1,8,32", split = ",",
      description = "Concurrencies for qps (default ${DEFAULT-VALUE}).")
  List<Integer> concurrency;

  @Option(names = "--deadline-ms", defaultValue = "5000", description = "Per-query deadline (default ${DEFAULT-VALUE}).")
  long deadlineMs;

  @Option(names = "--max-queries", defaultValue = "100000", description = "Use at most this many queries.")
  int maxQueries;

  @Option(names = "--no-vocabularies", description = "Do not fetch peers' vocabularies: new queries learn term "
      + "statistics in phase one only (to measure what vocabularies change).")
  boolean noVocabularies;

  @Option(names = "--churn", defaultValue = "0", description = "Entries per second written to the nodes during a "
      + "last pass over the queries (default ${DEFAULT-VALUE}: no such pass).")
  int churn;

  @Option(names = "--link-delay-ms", defaultValue = "0", description = "Emulate a wide-area network: every link "
      + "between nodes delays what it sends by this many ms one way (in the libp2p transport; emulation for this "
      + "benchmark only, never on in a node). Default ${DEFAULT-VALUE}: loopback as it is.")
  long linkDelayMs;

  @Option(names = "--link-jitter-ms", defaultValue = "-1", description = "Uniform jitter ± this many ms on each "
      + "delayed write, order kept (default: a tenth of --link-delay-ms).")
  long linkJitterMs;

  @Mixin
  JsonOption output;

  @Override
  public Integer call() throws Exception {
    FederationBench.Split how = switch (split) {
      case "round_robin" -> FederationBench.Split.ROUND_ROBIN;
      case "random" -> FederationBench.Split.RANDOM;
      default -> throw new IllegalArgumentException("--split: must be round_robin or random, got " + split);
    };
    for (Path p : concat(data, queries)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("no such file: " + p);
      }
    }
    LinkDelay link = LinkDelay.of(Duration.ofMillis(linkDelayMs),
        Duration.ofMillis(linkJitterMs < 0 ? linkDelayMs / 10 : linkJitterMs));
    Path work = Files.createTempDirectory("fedsearch-bench-federation");
    try {
      int warmUp = warmup.equals("auto") ? FederationBench.WARM_UP_UNTIL_SETTLED : parseWarmUp(warmup);
      ObjectNode figures = FederationBench.run(new FederationBench.Options(nodes, data, queries, how, seed, limit, warmUp,
          concurrency, Duration.ofMillis(deadlineMs), maxQueries, !noVocabularies, churn, link), work);
      ObjectMapper m = new ObjectMapper();
      System.out.println(output.json() ? m.writeValueAsString(figures) : m.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
      return 0;
    } finally {
      TempDirs.deleteRecursively(work);
    }
  }

  private static int parseWarmUp(String passes) {
    try {
      int n = Integer.parseInt(passes);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("--warmup: must be auto or a number of passes, got " + passes);
  }

  private static List<Path> concat(List<Path> a, List<Path> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
