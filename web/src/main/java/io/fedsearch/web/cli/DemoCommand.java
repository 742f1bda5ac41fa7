package io.fedsearch.web.cli;

import io.fedsearch.indexer.importer.ImportReport;
import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.node.LocalNode;
import io.fedsearch.web.node.NodeDirectory;
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

  @Option(names = "--dir", defaultValue = ".fedsearch/demo", description = "Where the demo nodes live (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--fresh", description = "Start from empty node directories.")
  boolean fresh;

  @Option(names = "--base-port", defaultValue = "8401", description = "HTTP port of the first node; the others follow.")
  int basePort;

  @Override
  public Integer call() throws Exception {
    if (fresh) {
      TempDirs.deleteRecursively(dir);
    }
    List<RunningNode> nodes = new ArrayList<>();
    List<NodeServer> servers = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\nstopping demo nodes");
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
      // The first node is every later node's bootstrap peer; the DHT does the rest.
      List<Multiaddr> bootstrap = nodes.isEmpty() ? List.of() : nodes.getFirst().host().listenAddresses();
      RunningNode node = RunningNode.start(d, new RunningNode.Options(0, bootstrap, null, true));
      nodes.add(node);
      servers.add(NodeServer.start(node, "127.0.0.1", basePort + i, NodeServer.DEFAULT_MAX_BODY));
    }
    for (RunningNode n : nodes) {
      n.federation().peers().refresh();
    }
    System.out.println("fedsearch demo: " + nodes.size() + " platform nodes on loopback (data in " + dir + ")");
    for (int i = 0; i < nodes.size(); i++) {
      System.out.printf("  %-7s http://127.0.0.1:%d/api/search?q=parser   (%d entries, p2p %s)%n",
          PLATFORMS.get(i), servers.get(i).port(), nodes.get(i).local().index().entryCount(),
          nodes.get(i).host().listenAddresses().getFirst());
    }
    System.out.println("Ctrl-C stops everything.");
    System.out.flush();
    stopped.await();
    return 0;
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
}
