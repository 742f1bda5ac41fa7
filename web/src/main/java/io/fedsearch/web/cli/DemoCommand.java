package io.fedsearch.web.cli;

import io.fedsearch.indexer.importer.ImportReport;
import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.node.LocalNode;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.DemoTraffic;
import io.fedsearch.web.node.RunningNode;
import io.fedsearch.federation.p2p.Multiaddr;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedsearch demo}: a local federation on loopback with the sample catalogs shipped in the jar — npm,
 * Debian, and "bazaar", which re-lists some of the same works. The first run creates and fills the node
 * directories; later runs start from what they hold (or {@code --fresh}). Ctrl-C stops every node cleanly.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a local federation of three platform nodes with sample data.")
public final class DemoCommand implements Callable<Integer> {
  static final List<String> PLATFORMS = List.of("npm", "debian", "bazaar");

  /**
   * Privacy settings for the demo only: 3-minute epochs and loose ε (4 per epoch) so that the sales of a thousand
   * simulated users stand out of the noise within the first epochs (every node's release has a row for each of its
   * listings from the first one on). Real nodes keep the module's strict defaults (see privacy/README.md).
   */
  /** Demo payments: discovery fees paid out and settled within a minute rather than an hour, so they show. */
  static final java.util.Map<String, Long> DEMO_PAYMENTS = java.util.Map.of("payout_min_drops", 100_000L,
      "payout_max_delay_s", 30L, "settle_threshold_drops", 5_000_000L, "settle_period_s", 120L,
      // Hubs pay every platform over channels the embedded platforms know only from their creates: the default caps
      // (100 XRP a channel, 250 XRP a payer) would credit the simulated users' purchases within the hour.
      "provisional_channel_cap_drops", 1_000_000_000L, "provisional_payer_cap_drops", 100_000_000_000L);

  static java.util.Map<String, String> demoPrivacy(long epochSeconds) {
    return java.util.Map.of("epoch_seconds", Long.toString(epochSeconds), "epsilon", "4",
        "delta", "0.001", "max_cids_per_payer", "2", "max_creators_per_payer", "1",
        "lifetime_epsilon", "100000", "lifetime_delta", "0.9", "tree_levels", "6");
  }

  @Option(names = "--dir", defaultValue = ".fedsearch/demo", description = "Where the demo nodes live (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--fresh", description = "Start from empty node directories.")
  boolean fresh;

  @Option(names = "--base-port", defaultValue = "8401", description = "HTTP port of the first node; the others follow.")
  int basePort;

  @Option(names = "--users", defaultValue = "1000", description = "Simulated buyers (0: no simulated traffic).")
  int users;

  @Option(names = "--search-interval-ms", defaultValue = "200", description = "Time between simulated searches.")
  long searchIntervalMs;

  @Option(names = "--epoch-seconds", defaultValue = "180",
      description = "Privacy epoch of the demo nodes, short so signal releases appear while you watch.")
  long epochSeconds;

  @Option(names = "--no-hubs", description = "Run the nodes as plain platforms (by default every demo node is also a"
      + " hub: users' wallets, the simulated ones and a browser's, buy from every platform through one channel to it;"
      + " see federation/HUB-API.md). Without hubs there is no simulated traffic.")
  boolean noHubs;

  @Override
  public Integer call() throws Exception {
    if (fresh) {
      TempDirs.deleteRecursively(dir);
    }
    List<RunningNode> nodes = new ArrayList<>();
    List<NodeServer> servers = new ArrayList<>();
    DemoTraffic[] traffic = new DemoTraffic[1];
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\nstopping demo nodes");
      if (traffic[0] != null) {
        try {
          traffic[0].close();
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }
      servers.forEach(NodeServer::close);
      for (RunningNode n : nodes) {
        try {
          n.close();
        } catch (Exception ignored) {
          // committed data is durable already
        }
      }
      stopped.countDown();
    }));
    for (int i = 0; i < PLATFORMS.size(); i++) {
      String platform = PLATFORMS.get(i);
      NodeDirectory d = prepare(dir.resolve(platform), platform);
      d.putPrivacySettings(demoPrivacy(epochSeconds));
      d.putSettings("payments", DEMO_PAYMENTS);
      d.putSettings("hub", java.util.Map.of("enabled", !noHubs));
      // The first node is every later node's bootstrap peer; the DHT does the rest.
      List<Multiaddr> bootstrap = nodes.isEmpty() ? List.of() : nodes.getFirst().host().listenAddresses();
      RunningNode node = RunningNode.start(d, new RunningNode.Options(0, bootstrap, null));
      nodes.add(node);
      servers.add(NodeServer.start(node, "127.0.0.1", basePort + i, NodeServer.DEFAULT_MAX_BODY));
    }
    for (RunningNode n : nodes) {
      n.federation().peers().refresh();
    }
    quietEventLines(); // after the servers started: Helidon re-reads the logging configuration when one starts
    System.out.println("fedsearch demo: " + nodes.size() + " platform nodes on loopback (data in " + dir + ")");
    for (int i = 0; i < nodes.size(); i++) {
      System.out.printf("  %-7s http://127.0.0.1:%d/   (%d entries; dashboard /dashboard, token in %s)%n",
          PLATFORMS.get(i), servers.get(i).port(), nodes.get(i).local().index().entryCount(),
          nodes.get(i).local().directory().root().resolve(NodeDirectory.ADMIN_TOKEN));
    }
    if (users > 0 && !noHubs) {
      List<DemoTraffic.Want> wants = new ArrayList<>();
      for (String platform : PLATFORMS) {
        wants.addAll(DemoTraffic.wantsFrom(sample(platform)));
      }
      traffic[0] = DemoTraffic.start(nodes, wants, users, java.time.Duration.ofMillis(searchIntervalMs), 0.7);
      System.out.println("  " + users + " simulated users are searching and buying, each through one channel to its"
          + " home node as hub (--users 0 to stop them); a browser creates its own wallet on /wallet");
    }
    System.out.println("Ctrl-C stops everything.");
    System.out.flush();
    stopped.await();
    return 0;
  }

  private static List<String> sample(String platform) throws java.io.IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + platform + ".jsonl")) {
      if (in == null) {
        throw new IllegalStateException("sample data for " + platform + " missing from the jar");
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
    }
  }

  /** Opens the node directory, creating it and importing the sample catalog on the first run. */
  private static NodeDirectory prepare(Path nodeDir, String platform) throws Exception {
    if (Files.exists(nodeDir.resolve(NodeDirectory.CONFIG))) {
      return NodeDirectory.open(nodeDir);
    }
    NodeDirectory d = NodeDirectory.init(nodeDir, platform);
    try (LocalNode node = LocalNode.open(d)) {
      try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + platform + ".jsonl")) {
        if (in == null) {
          throw new IllegalStateException("sample data for " + platform + " missing from the jar");
        }
        ImportReport r = node.importLines(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
            "demo/" + platform + ".jsonl", (l, b) -> {});
        System.out.printf("  %s: imported %d sample entries%n", platform, r.accepted());
      }
    }
    return d;
  }

  /**
   * A thousand simulated users make payments and peers log several event lines a second, which would push the
   * nodes' URLs off the screen: the demo keeps those loggers at warnings unless FEDSEARCH_DEMO_EVENTS is set. Real
   * nodes log every event (key=value lines). The loggers are held here: java.util.logging keeps them weakly. Called
   * once the servers are up, since Helidon reads logging.properties again as a server starts (resetting levels).
   */
  private static void quietEventLines() {
    if (System.getenv("FEDSEARCH_DEMO_EVENTS") == null) {
      for (java.util.logging.Logger l : QUIET) {
        l.setLevel(java.util.logging.Level.WARNING);
      }
    }
  }

  private static final List<java.util.logging.Logger> QUIET = List.of(
      java.util.logging.Logger.getLogger("io.fedsearch.payments"),
      java.util.logging.Logger.getLogger("io.fedsearch.peers"));
}
