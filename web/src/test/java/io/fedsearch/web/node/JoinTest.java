package io.fedsearch.web.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node joining through a bootstrap peer, as `fedsearch start --bootstrap` does. */
@Timeout(120)
class JoinTest {
  @TempDir
  Path dir;

  /**
   * The bootstrap peer counts a joining node as an index peer from the identify exchange of their first connection,
   * not 30 s later from the DHT: the joining node announces its protocols only once they are all served. (A node
   * that dialled before registering them was identified without the query protocol, and its bootstrap peer learnt of
   * it only at its next DHT lookup, up to 30 s on.)
   */
  @Test
  void aJoiningNodeIsAnIndexPeerOfItsBootstrapPeerAtOnce() throws Exception {
    try (RunningNode a = RunningNode.start(NodeDirectory.init(dir.resolve("a"), "alpha"),
        RunningNode.Options.defaults())) {
      for (int i = 0; i < 4; i++) {
        try (RunningNode b = RunningNode.start(NodeDirectory.init(dir.resolve("b" + i), "beta" + i),
            new RunningNode.Options(0, List.of(a.host().listenAddresses().get(0)), null))) {
          Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
              .until(() -> a.federation().peers().known().contains(b.host().peerId()));
        }
      }
    }
  }
}
