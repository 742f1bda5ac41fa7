package io.fedsearch.web.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;

/**
 * What the browser-wallet tests buy from: two platform nodes ("shop" sells Copper kettle, "books" Kettle book) and a
 * hub node (fee 1000 drops + 1 %, selling Hub kettle itself) with its HTTP server on loopback, joined over libp2p;
 * ready once the hub's federated search lists both platforms' works.
 */
final class WalletMarket implements AutoCloseable {
  static final long PRICE = 1_500_000;
  static final long FEE_DROPS = 1000;
  static final int FEE_BPS = 100;
  static final long COST = PRICE + FEE_DROPS + PRICE * FEE_BPS / 10_000;

  final RunningNode shop;
  final RunningNode books;
  final RunningNode hub;
  final NodeServer server;
  final TestHttp http;
  final String base;

  WalletMarket(Path dir) throws Exception {
    shop = platform(dir, "shop", work("k1", "Copper kettle"), List.of());
    books = platform(dir, "books", work("b1", "Kettle book"), shop.host().listenAddresses());
    List<Multiaddr> both = new ArrayList<>(shop.host().listenAddresses());
    both.addAll(books.host().listenAddresses());
    NodeDirectory d = NodeDirectory.init(dir.resolve("hub"), "hub");
    d.putSettings("hub", Map.of("enabled", true, "fee_drops", FEE_DROPS, "fee_bps", FEE_BPS));
    hub = RunningNode.start(d, new RunningNode.Options(0, both, null));
    NodeFixture.importInto(hub, work("h1", "Hub kettle"));
    server = NodeServer.start(hub, "127.0.0.1", 0, NodeServer.DEFAULT_MAX_BODY);
    base = "http://127.0.0.1:" + server.port();
    http = new TestHttp(base);
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      hub.federation().peers().refresh();
      Set<String> platforms = new HashSet<>();
      for (JsonNode h : http.get("/api/search?q=kettle&limit=10").json().path("hits")) {
        platforms.add(h.at("/entry/platform").asText());
      }
      return platforms.containsAll(List.of("shop", "books"));
    });
  }

  private static String work(String id, String title) {
    return "{\"id\":\"" + id + "\",\"title\":\"" + title + "\",\"description\":\"a kettle\",\"price\":" + PRICE
        + "}\n";
  }

  private static RunningNode platform(Path dir, String name, String jsonl, List<Multiaddr> bootstrap)
      throws Exception {
    RunningNode n = RunningNode.start(NodeDirectory.init(dir.resolve(name), name),
        new RunningNode.Options(0, bootstrap, null));
    NodeFixture.importInto(n, jsonl);
    return n;
  }

  /** The hub's entry page of {@code title} as {@code node} lists it. */
  String entry(RunningNode node, String title) {
    for (SignedEntry e : node.local().index().entries(100)) {
      if (e.entry().title().equals(title)) {
        return base + "/entry/" + e.cid() + "?q=kettle";
      }
    }
    throw new IllegalArgumentException("no listing titled " + title);
  }

  /** Sales {@code platform} journaled. */
  static long sales(RunningNode platform) {
    return platform.payments().db().read(c -> {
      try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM sales")) {
        return rs.getLong(1);
      }
    });
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {http, server, hub, books, shop}) {
      c.close();
    }
  }
}
