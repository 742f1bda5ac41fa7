package io.fedsearch.web.cli;

import io.fedsearch.web.http.NodeServer;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.web.node.RunningNode;
import java.util.ArrayList;
import java.util.List;
import io.fedsearch.web.node.NodeDirectory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedsearch node init|start|account}. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Create or run a node.",
    subcommands = {NodeCommand.Init.class, NodeCommand.Start.class, NodeAccountCommand.class})
public final class NodeCommand {

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create a node directory: identity key, admin token, config.")
  static final class Init implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Node directory to create.")
    Path dir;

    @Option(names = "--platform", required = true, description = "Platform this node serves (e.g. npm).")
    String platform;

    @Option(names = "--platform-key-from", paramLabel = "DIR",
        description = "Share the platform key of this other node directory of the same platform (for nodes that"
            + " run as replicas of one catalog: askers route a --replica-set as one only when one platform key"
            + " signed its members' records).")
    Path platformKeyFrom;

    @Override
    public Integer call() {
      NodeDirectory d = NodeDirectory.init(dir, platform);
      if (platformKeyFrom != null) {
        d.sharePlatformKey(NodeDirectory.open(platformKeyFrom));
        System.out.println("platform key shared with " + platformKeyFrom);
      }
      System.out.println("node directory " + d.root() + " created for platform " + d.platform());
      System.out.println("public key  " + d.key().publicKey().hex());
      System.out.println("admin token " + d.root().resolve(NodeDirectory.ADMIN_TOKEN) + " (mode 600)");
      return 0;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Run the node until interrupted.")
  static final class Start implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Node directory (from `node init`).")
    Path dir;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port (0 picks a free one).")
    int httpPort;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default loopback).")
    String host;

    @Option(names = "--max-body", defaultValue = "" + NodeServer.DEFAULT_MAX_BODY,
        description = "Largest request body in bytes.")
    long maxBody;

    @Option(names = "--p2p-port", defaultValue = "0", description = "libp2p TCP port (0 picks a free one).")
    int p2pPort;

    @Option(names = "--bootstrap", paramLabel = "MULTIADDR",
        description = "A peer to join the federation through, /ip4/…/tcp/…/p2p/… (repeatable).")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--replica-set", description = "Name shared by nodes that hold this same catalog (hedging);"
        + " its members must share the platform key (node init --platform-key-from).")
    String replicaSet;

    @Option(names = "--hub", description = "Run as a hub: forward users' purchases to platforms over one channel"
        + " (saved in node.json as \"hub\": {\"enabled\": true}; fee and limits there, see federation/HUB-API.md).")
    boolean hub;

    @Override
    public Integer call() throws Exception {
      NodeDirectory d = NodeDirectory.open(dir);
      if (hub) {
        d.putSettings("hub", java.util.Map.of("enabled", true));
      }
      List<Multiaddr> peers = new ArrayList<>();
      for (String b : bootstrap) {
        Multiaddr m = Multiaddr.parse(b);
        if (m.peerId().isEmpty()) {
          throw new IllegalArgumentException("--bootstrap " + b + ": needs /p2p/<peer id> at the end");
        }
        peers.add(m);
      }
      RunningNode node = RunningNode.start(d, new RunningNode.Options(p2pPort, peers, replicaSet));
      NodeServer server = NodeServer.start(node, host, httpPort, maxBody);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        try {
          node.close();
        } catch (Exception ignored) {
          // shutting down: committed data is already durable
        }
        stopped.countDown();
      }));
      System.out.println("node " + d.platform() + " listening on http://" + host + ":" + server.port()
          + " (" + node.local().index().entryCount() + " entries)");
      node.hub().ifPresent(h -> System.out.println("hub: users' channels pay " + h.terms().account()
          + "; terms at /api/hub"));
      for (Multiaddr a : node.host().listenAddresses()) {
        System.out.println("p2p " + a);
      }
      System.out.flush();
      stopped.await();
      return 0;
    }
  }
}
