package io.fedsearch.web.cli;

import io.fedsearch.bench.payments.PayoutsBenchmark;
import java.io.BufferedWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @Override
  public Integer call() throws Exception {
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
      if (output.json()) {
        PaymentsCli.printJson(figures);
      } else {
        figures.forEach((k, v) -> System.out.println(k + ": " + v));
      }
    } finally {
      if (dir == null) {
        TempDirs.deleteRecursively(base);
      }
    }
    return 0;
  }
}
