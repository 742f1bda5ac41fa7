package io.fedsearch.web.http;

import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A node in-process as tests use it: a running node of one platform with its HTTP server on a free loopback port and
 * a client, plus any peers bootstrapped to it (closed with it).
 */
public final class NodeFixture implements AutoCloseable {
  public final RunningNode node;
  public final NodeServer server;
  public final TestHttp http;
  private final List<RunningNode> peers = new ArrayList<>();

  private NodeFixture(RunningNode node) throws IOException {
    this.node = node;
    this.server = NodeServer.start(node, "127.0.0.1", 0, 4096);
    this.http = new TestHttp(url());
  }

  /** A fresh node of {@code platform} in {@code dir}, default options. */
  public static NodeFixture start(Path dir, String platform) throws IOException {
    return start(dir, platform, RunningNode.Options.defaults());
  }

  public static NodeFixture start(Path dir, String platform, RunningNode.Options options) throws IOException {
    return new NodeFixture(RunningNode.start(NodeDirectory.init(dir, platform), options));
  }

  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /**
   * A second node of {@code platform}, bootstrapped to this one, holding {@code jsonl}; returns once this node counts
   * it among its index peers. Closed with this fixture.
   */
  public RunningNode peer(Path dir, String platform, String jsonl) throws IOException {
    RunningNode p = RunningNode.start(NodeDirectory.init(dir, platform),
        new RunningNode.Options(0, List.of(node.host().listenAddresses().get(0)), null));
    peers.add(p);
    importInto(p, jsonl);
    int before = peers.size();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> http.get("/api/node").json().get("index_peers").asInt() >= before);
    return p;
  }

  /** Imports JSON Lines into this node. */
  public NodeFixture holding(String jsonl) {
    importInto(node, jsonl);
    return this;
  }

  public static void importInto(RunningNode node, String jsonl) {
    node.local().importLines(new BufferedReader(new StringReader(jsonl)), "test", (l, b) -> {});
  }

  @Override
  public void close() throws Exception {
    http.close();
    server.close();
    for (RunningNode p : peers) {
      p.close();
    }
    node.close();
  }
}
