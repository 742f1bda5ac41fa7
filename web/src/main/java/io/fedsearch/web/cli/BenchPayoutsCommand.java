package io.fedsearch.web.cli;

import io.fedsearch.bench.payments.PayoutsBenchmark;
import io.fedsearch.bench.payments.TopologyBenchmark;
import java.io.BufferedWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedsearch bench payouts}: purchases, discovery payouts, netting and settlement through the real payments
 * code (see {@link PayoutsBenchmark}); the full size is {@code --purchases 1000000}.
 */
@Command(name = "payouts", mixinStandardHelpOptions = true,
    description = "Benchmark claims verified and journaled per second, and ledger transactions saved.")
public final class BenchPayoutsCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "10", description = "Platforms (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--users", defaultValue = "10000", description = "Users (default ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--purchases", defaultValue = "20000", description = "Purchases (default ${DEFAULT-VALUE}).")
  long purchases;

  @Option(names = "--claims", defaultValue = "100000",
      description = "Plain claims in the claim-stream phase (default ${DEFAULT-VALUE}).")
  long claims;

  @Option(names = "--items", defaultValue = "100000", description = "Works for sale (default ${DEFAULT-VALUE}).")
  int items;

  @Option(names = "--zipf", defaultValue = "1.0", description = "Zipf exponent of popularity (default ${DEFAULT-VALUE}).")
  double zipf;

  @Option(names = "--threads", defaultValue = "2", description = "Accepting threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--chunk", defaultValue = "20000", description = "Purchases per chunk (default ${DEFAULT-VALUE}).")
  int chunk;

  @Option(names = "--hours", defaultValue = "24", description = "Simulated hours (default ${DEFAULT-VALUE}).")
  int hours;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--secp256k1", description = "Users hold secp256k1 keys instead of ed25519.")
  boolean secp;

  @Option(names = "--dir", description = "Where the node directories go (default: a temporary directory).")
  Path dir;

  @Option(names = "--export", paramLabel = "FILE", description = "Write every claim and transaction as JSON lines.")
  Path export;

  @Mixin
  JsonOption output;

  @Option(names = "--topology", paramLabel = "direct|hub|both", description = "Instead of the federation run: a"
      + " month of purchases counted on the ledger with users paying platforms directly, through hubs, or both;"
      + " the accept path measured on the first --sample-users users.")
  String topology;

  @Option(names = "--purchases-per-user", defaultValue = "100",
      description = "With --topology: purchases per user over the month (default ${DEFAULT-VALUE}).")
  int purchasesPerUser;

  @Option(names = "--hubs", defaultValue = "3", description = "With --topology hub: hubs (default ${DEFAULT-VALUE}).")
  int hubs;

  @Option(names = "--sample-users", defaultValue = "200",
      description = "With --topology: users whose purchases go through real nodes' accept path (default"
      + " ${DEFAULT-VALUE}).")
  int sampleUsers;

  @Override
  public Integer call() throws Exception {
    if (topology != null) {
      return topology();
    }
    if (nodes < 1 || users < 1 || purchases < 1 || claims < 1 || items < nodes || threads < 1 || chunk < 1 || hours < 1) {
      throw new IllegalArgumentException("sizes must be positive and --items at least --nodes");
    }
    Path base = dir != null ? dir : Files.createTempDirectory("fedsearch-bench-payouts");
    try {
      PayoutsBenchmark bench = new PayoutsBenchmark(new PayoutsBenchmark.Options(nodes, users, purchases, claims, items, zipf,
          threads, chunk, hours, seed, base, secp ? KeyType.SECP256K1 : KeyType.ED25519));
      Map<String, Object> figures;
      if (export != null) {
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(export, StandardCharsets.UTF_8))) {
          figures = bench.run(w);
        }
      } else {
        figures = bench.run(null);
      }
      print(figures);
    } finally {
      if (dir == null) {
        TempDirs.deleteRecursively(base);
      }
    }
    return 0;
  }

  private int topology() throws Exception {
    List<String> topologies = topology.equals("both") ? List.of("direct", "hub") : List.of(topology);
    Path base = dir != null ? dir : Files.createTempDirectory("fedsearch-bench-topology");
    try {
      Map<String, Object> figures = new TopologyBenchmark(new TopologyBenchmark.Options(topologies, nodes, hubs, users,
          purchasesPerUser, zipf, sampleUsers, threads, seed, base)).run();
      print(figures);
    } finally {
      if (dir == null) {
        TempDirs.deleteRecursively(base);
      }
    }
    return 0;
  }

  private void print(Map<String, Object> figures) throws java.io.IOException {
    if (output.json()) {
      PaymentsCli.printJson(figures);
    } else {
      figures.forEach((k, v) -> System.out.println(k + ": " + v));
    }
  }
}
