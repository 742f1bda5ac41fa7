package io.fedsearch.web.hub;

import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Platforms for hub tests: in-process nodes with a catalog, and how a test finds a listing's CID and sales. */
final class HubNetwork {
  static final long PRICE = 1_500_000;

  private HubNetwork() {}

  static String catalog(String... titles) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < titles.length; i++) {
      b.append("{\"id\":\"w").append(i).append("\",\"title\":\"").append(titles[i])
          .append("\",\"description\":\"a work\",\"price\":").append(PRICE).append("}\n");
    }
    return b.toString();
  }

  /** A platform node of {@code platform} holding {@code jsonl}, bootstrapped to {@code bootstrap}. */
  static RunningNode platform(Path dir, String platform, String jsonl, List<Multiaddr> bootstrap) throws IOException {
    RunningNode n = RunningNode.start(NodeDirectory.init(dir, platform),
        new RunningNode.Options(0, bootstrap, null));
    NodeFixture.importInto(n, jsonl);
    return n;
  }

  /** Initialises a hub's node directory with a fee of {@code feeDrops} + {@code feeBps}. */
  static NodeDirectory hubDirectory(Path dir, long feeDrops, int feeBps) {
    NodeDirectory d = NodeDirectory.init(dir, "hub");
    d.putSettings("hub", Map.of("enabled", true, "fee_drops", feeDrops, "fee_bps", feeBps));
    return d;
  }

  static String cid(RunningNode platform, String title) {
    for (SignedEntry e : platform.local().index().entries(1000)) {
      if (e.entry().title().equals(title)) {
        return e.cid().toString();
      }
    }
    throw new IllegalArgumentException("no listing titled " + title);
  }

  /** Sales the platform journaled. */
  static long sales(RunningNode platform) {
    return platform.payments().db().read(c -> {
      try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM sales")) {
        return rs.getLong(1);
      }
    });
  }
}
