package io.fedsearch.web.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.bench.query.HostileBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedsearch bench hostile}: honest loopback nodes under each hostile-peer attack (see {@link HostileBench}). */
@Command(name = "hostile", mixinStandardHelpOptions = true,
    description = "Honest nodes on loopback searched undisturbed, then under each attack in turn (stalled reader, "
        + "ping flood, handshake flood, PUT_VALUE flood, Sybil providers, inflated statistics): search p99 and "
        + "success rate against the undisturbed figures, ranking changes, heap growth and recovery time.")
public final class BenchHostileCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "6", description = "Honest nodes (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--entries", defaultValue = "200", description = "Entries per node (default ${DEFAULT-VALUE}).")
  int entries;

  @Option(names = "--phase-s", defaultValue = "10", description = "Seconds each measurement lasts (default ${DEFAULT-VALUE}).")
  double phaseSeconds;

  @Option(names = "--deadline-ms", defaultValue = "2000", description = "Per-search deadline (default ${DEFAULT-VALUE}).")
  long deadlineMs;

  @Option(names = "--concurrency", defaultValue = "4", description = "Searches in flight (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--attacks", split = ",", description = "Attacks to run, in order (default: all of "
      + "stalled-reader, ping-flood, handshake-flood, put-value-flood, sybil-providers, inflated-stats).")
  List<String> attacks;

  @Mixin
  JsonOption output;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("fedsearch-bench-hostile");
    try {
      ObjectNode figures = HostileBench.run(new HostileBench.Options(nodes, entries,
          Duration.ofMillis(Math.round(phaseSeconds * 1000)), Duration.ofMillis(deadlineMs), concurrency,
          attacks == null ? HostileBench.ATTACKS : attacks), work);
      ObjectMapper m = new ObjectMapper();
      System.out.println(output.json() ? m.writeValueAsString(figures) : m.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
      return 0;
    } finally {
      TempDirs.deleteRecursively(work);
    }
  }
}
