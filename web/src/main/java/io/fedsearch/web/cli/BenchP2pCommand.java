package io.fedsearch.web.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.bench.p2p.JsPeer;
import io.fedsearch.bench.p2p.P2pBench;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedsearch bench p2p}: libp2p setup, ping and throughput, Java↔Java vs JS↔JS (see {@link P2pBench}). */
@Command(name = "p2p", mixinStandardHelpOptions = true,
    description = "Connection setup, ping RTT and stream throughput: Java↔Java, JS↔JS, Java↔JS on 127.0.0.1.")
public final class BenchP2pCommand implements Callable<Integer> {
  @Option(names = "--connections", defaultValue = "30", description = "Fresh connections timed (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--pings", defaultValue = "100", description = "Pings timed (default ${DEFAULT-VALUE}).")
  int pings;

  @Option(names = "--mib", defaultValue = "64", description = "MiB streamed for throughput (default ${DEFAULT-VALUE}).")
  int mib;

  @Option(names = "--calls", defaultValue = "20000",
      description = "Request/response calls timed, 1 KiB each way (default ${DEFAULT-VALUE}).")
  int calls;

  @Option(names = "--no-early-muxer", description = "Java negotiates yamux with multistream-select.")
  boolean noEarlyMuxer;

  @Mixin
  JsonOption output;

  @Override
  public Integer call() throws Exception {
    JsonNode r = P2pBench.run(new P2pBench.Options(connections, pings, (long) mib << 20, calls, !noEarlyMuxer,
        JsPeer.findRepoRoot()));
    ObjectMapper m = new ObjectMapper();
    if (output.json()) {
      System.out.println(m.writeValueAsString(r));
      return 0;
    }
    for (String pair : new String[] {"javaJava", "jsJs", "javaToJs", "jsToJava"}) {
      JsonNode f = r.get(pair);
      if (f != null) {
        System.out.printf("%-9s setup median %7.2f ms  ping median %6.3f ms  throughput %8.1f MB/s%n", pair,
            f.path("setupMs").path("median").asDouble(), f.path("pingMs").path("median").asDouble(),
            f.path("throughputMBps").asDouble());
      }
    }
    JsonNode calls = r.path("javaJavaCalls");
    System.out.printf("javaJava  request/response of %d B each way: %.1f µs CPU, %.1f µs wall a call%n",
        calls.path("bytes").asInt(), calls.path("cpuUsPerCall").asDouble(), calls.path("wallUsPerCall").asDouble());
    if (r.has("ratios")) {
      for (Map.Entry<String, JsonNode> e : r.get("ratios").properties()) {
        System.out.println(e.getKey() + ": " + e.getValue().asText());
      }
    } else {
      System.out.println(r.path("js").asText());
    }
    return 0;
  }
}
