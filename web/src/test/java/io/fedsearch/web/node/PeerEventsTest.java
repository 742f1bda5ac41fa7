package io.fedsearch.web.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.query.PeerStanding;
import io.fedsearch.federation.query.QueryWire;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The peer events a node logs, from what real hosts tell each other over libp2p. */
@Timeout(60)
class PeerEventsTest {
  private final Logger logger = Logger.getLogger("io.fedsearch.peers");
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      lines.add(r.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level levelBefore;

  @BeforeEach
  void listen() {
    levelBefore = logger.getLevel();
    logger.setLevel(Level.INFO);
    logger.addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    logger.removeHandler(capture);
    logger.setLevel(levelBefore);
  }

  private List<String> eventsAbout(String event, Host peer) {
    return lines.stream().filter(l -> l.startsWith("event=" + event + " peer=" + peer.peerId())).toList();
  }

  /** The agent is the peer's own text: a line break in it must not start a forged log line. */
  @Test
  void aPeersAgentCannotWriteLogLines() throws Exception {
    try (Host node = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build();
        Host peer = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false)
            .agentVersion("evil/1.0\nevent=claim_accepted amount=1000000").build()) {
      PeerEvents.watch(node, new PeerStanding(), List.of());
      node.start();
      peer.start();
      peer.dial(node.listenAddresses().get(0));
      await().atMost(Duration.ofSeconds(10)).until(() -> !eventsAbout("peer_joined", peer).isEmpty());
      String line = eventsAbout("peer_joined", peer).getFirst();
      assertThat(line).doesNotContain("\n").contains("agent=\"evil/1.0\\nevent=claim_accepted amount=1000000\"");
    }
  }

  /** A connected peer that starts serving queries (identify/push) is one line; pushing the same again is none. */
  @Test
  void aPeerThatStartsServingQueriesIsLogged() throws Exception {
    try (Host node = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build();
        Host peer = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build()) {
      PeerEvents.watch(node, new PeerStanding(), List.of());
      node.start();
      peer.start();
      peer.dial(node.listenAddresses().get(0));
      await().atMost(Duration.ofSeconds(10)).until(() -> !eventsAbout("peer_joined", peer).isEmpty());
      assertThat(eventsAbout("peer_joined", peer).getFirst()).contains("index=false");

      peer.addProtocolHandler(QueryWire.PROTOCOL, s -> {});
      await().atMost(Duration.ofSeconds(10)).until(() -> !eventsAbout("peer_updated", peer).isEmpty());
      assertThat(eventsAbout("peer_updated", peer).getFirst()).contains("index=true");

      peer.addProtocolHandler("/fedsearch/other/1.0.0", s -> {}); // pushed, but it still serves queries
      await().atMost(Duration.ofSeconds(10)).until(() -> node.peerStore().get(peer.peerId())
          .map(i -> i.protocols().contains("/fedsearch/other/1.0.0")).orElse(false));
      assertThat(eventsAbout("peer_updated", peer)).hasSize(1);
    }
  }
}
