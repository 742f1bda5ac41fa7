package io.fedsearch.federation.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.core.keys.NodeKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What each kind of outcome does to a peer's record: trust moves with honesty and reliability, not with load. */
class PeerStandingTest {
  private final PeerId peer = PeerId.of(NodeKey.generate().publicKey());
  private final PeerStanding standing = new PeerStanding(Duration.ofSeconds(2), Duration.ofSeconds(60));
  private final Instant now = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void busyRefusalsBackAPeerOffWithoutLoweringItsScore() {
    double start = standing.get(peer).score();
    standing.busy(peer, "busy: already serving 1 requests", now);
    standing.busy(peer, "busy: already serving 1 requests", now);
    assertThat(standing.available(peer, now)).as("two refusals: still asked").isTrue();
    standing.busy(peer, "busy: already serving 1 requests", now);

    PeerStanding.Record r = standing.get(peer);
    assertThat(r.busy()).isEqualTo(3);
    assertThat(r.failures()).isZero();
    assertThat(r.score()).isEqualTo(start);
    assertThat(r.lastError()).contains("busy");
    assertThat(standing.available(peer, now)).as("shedding load: not asked again at once").isFalse();
    assertThat(standing.available(peer, now.plusSeconds(3))).isTrue();

    standing.answered(peer, "shop", null, 1.5);
    assertThat(standing.get(peer).consecutiveFailures()).isZero();
    assertThat(standing.get(peer).busy()).as("the count stays visible").isEqualTo(3);
  }

  @Test
  void failuresTimeoutsAndForgeriesLowerTheScore() {
    double start = standing.get(peer).score();
    standing.failed(peer, "IOException: reset", now);
    double afterFailure = standing.get(peer).score();
    standing.timedOut(peer, now);
    double afterTimeout = standing.get(peer).score();
    standing.forged(peer, 2, "signature does not verify", now);

    assertThat(afterFailure).isLessThan(start);
    assertThat(afterTimeout).isLessThan(afterFailure);
    PeerStanding.Record r = standing.get(peer);
    assertThat(r.score()).isLessThan(afterTimeout);
    assertThat(r.failures()).isEqualTo(1);
    assertThat(r.timeouts()).isEqualTo(1);
    assertThat(r.forged()).isEqualTo(2);
    assertThat(r.busy()).isZero();
    assertThat(standing.available(peer, now)).as("a forgery backs off at once").isFalse();
  }
}
