package io.fedsearch.web.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.node.LocalNode;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo federation in-process, as {@code fedsearch demo} builds it: npm, debian and bazaar nodes with the
 * sample catalogs shipped in the jar, the first node every other node's bootstrap peer, each with its HTTP server on
 * a free loopback port.
 */
final class DemoFederation implements AutoCloseable {
  static final List<String> PLATFORMS = List.of("npm", "debian", "bazaar");

  final List<NodeDirectory> dirs = new ArrayList<>();
  final List<RunningNode> nodes = new ArrayList<>();
  final List<NodeServer> servers = new ArrayList<>();
  private final boolean[] stopped = new boolean[PLATFORMS.size()];

  DemoFederation(Path root) throws Exception {
    for (String platform : PLATFORMS) {
      NodeDirectory d = NodeDirectory.init(root.resolve(platform), platform);
      quickPayouts(d);
      try (LocalNode local = LocalNode.open(d);
          InputStream in = DemoFederation.class.getResourceAsStream("/demo/" + platform + ".jsonl")) {
        if (in == null) {
          throw new IllegalStateException("sample data for " + platform + " missing");
        }
        local.importLines(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
            "demo/" + platform + ".jsonl", (l, b) -> {});
      }
      List<Multiaddr> bootstrap = nodes.isEmpty() ? List.of() : nodes.getFirst().host().listenAddresses();
      d.putSettings("hub", Map.of("enabled", true)); // every demo node is a hub, as in ./fedsearch demo
      RunningNode node = RunningNode.start(d, new RunningNode.Options(0, bootstrap, null));
      dirs.add(d);
      nodes.add(node);
      servers.add(NodeServer.start(node, "127.0.0.1", 0, NodeServer.DEFAULT_MAX_BODY));
    }
    for (RunningNode n : nodes) {
      n.federation().peers().refresh();
    }
  }

  /**
   * Pays discovery fees as soon as any is owed and settles any unsettled claim at the next payments tick, so a
   * purchase's fee and settlement show within seconds instead of the production batching (1 XRP or one hour).
   */
  private static void quickPayouts(NodeDirectory d) throws java.io.IOException {
    Path config = d.root().resolve(NodeDirectory.CONFIG);
    ObjectMapper json = new ObjectMapper();
    ObjectNode c = (ObjectNode) json.readTree(config.toFile());
    c.putObject("payments").put("payout_min_drops", 1).put("settle_threshold_drops", 1);
    java.nio.file.Files.writeString(config, json.writerWithDefaultPrettyPrinter().writeValueAsString(c));
  }

  String url(int i) {
    return "http://127.0.0.1:" + servers.get(i).port();
  }

  /** Stops one node as a crash would look to the others: its server and libp2p host go away. */
  void stop(int i) throws Exception {
    if (!stopped[i]) {
      stopped[i] = true;
      servers.get(i).close();
      nodes.get(i).close();
    }
  }

  @Override
  public void close() throws Exception {
    for (int i = 0; i < nodes.size(); i++) {
      try {
        stop(i);
      } catch (Exception ignored) {
        // closing the others matters more
      }
    }
  }
}
