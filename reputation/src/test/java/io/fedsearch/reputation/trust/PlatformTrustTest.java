package io.fedsearch.reputation.trust;

import static io.fedsearch.reputation.TestKeys.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodePublicKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlatformTrustTest {
  private static final NodePublicKey A = platform(1);
  private static final NodePublicKey B = platform(2);
  private static final NodePublicKey C = platform(3);

  /**
   * By hand, with a = 1/2, p = (1, 0, 0) and C rows A: (0, 3/4, 1/4), B: (0, 0, 1), C: (1, 0, 0):
   * t_A = t_C/2 + 1/2, t_B = 3/8 t_A, t_C = (t_A/4 + t_B)/2 = 5/16 t_A ⇒ t_A = 16/27, t_B = 6/27, t_C = 5/27.
   */
  @Test
  void convergesToTheHandComputedFixedPoint() {
    List<PlatformEdge> edges = List.of(new PlatformEdge(A, B, 3), new PlatformEdge(A, C, 1),
        new PlatformEdge(B, C, 7), new PlatformEdge(C, A, 2));
    TrustScores t = PlatformTrust.compute(List.of(A, B, C), edges, Set.of(A), 0.5, 500, 1e-14);
    assertThat(t.converged()).isTrue();
    assertThat(t.trust(A)).isCloseTo(16.0 / 27, within(1e-12));
    assertThat(t.trust(B)).isCloseTo(6.0 / 27, within(1e-12));
    assertThat(t.trust(C)).isCloseTo(5.0 / 27, within(1e-12));
    // weights relative to the (only) pre-trusted platform
    assertThat(t.weight(A)).isEqualTo(1.0);
    assertThat(t.weight(B)).isCloseTo(6.0 / 16, within(1e-12));
    assertThat(t.weight(C)).isCloseTo(5.0 / 16, within(1e-12));
  }

  @Test
  void aRingThatNoTrustedPlatformPaysGetsNoTrust() {
    NodePublicKey s1 = platform(10);
    NodePublicKey s2 = platform(11);
    NodePublicKey s3 = platform(12);
    List<PlatformEdge> edges = List.of(new PlatformEdge(A, B, 10), new PlatformEdge(B, A, 10),
        // a sybil ring paying each other huge amounts, and paying A to look connected
        new PlatformEdge(s1, s2, 1_000_000_000), new PlatformEdge(s2, s3, 1_000_000_000),
        new PlatformEdge(s3, s1, 1_000_000_000), new PlatformEdge(s1, A, 1));
    TrustScores t = PlatformTrust.compute(List.of(), edges, Set.of(A), 0.15, 500, 1e-14);
    assertThat(t.trust(s1) + t.trust(s2) + t.trust(s3)).isLessThan(1e-12);
    assertThat(t.weight(B)).isGreaterThan(0.8);
  }

  @Test
  void trustSumsToOneAndDanglingTrustReturnsToSeeds() {
    List<PlatformEdge> edges = List.of(new PlatformEdge(A, B, 5));
    TrustScores t = PlatformTrust.compute(List.of(C), edges, Set.of(A), 0.15, 500, 1e-14);
    assertThat(t.trust(A) + t.trust(B) + t.trust(C)).isCloseTo(1.0, within(1e-9));
    assertThat(t.trust(C)).isZero();
    assertThat(t.weight(platform(99))).isZero();
  }

  @Test
  void rejectsNoSeedsAndSelfPayments() {
    assertThatThrownBy(() -> PlatformTrust.compute(List.of(A), List.of(), Set.of(), 0.15, 10, 1e-9))
        .hasMessageContaining("pre-trusted");
    assertThatThrownBy(() -> new PlatformEdge(A, A, 5)).hasMessageContaining("paying itself");
    assertThatThrownBy(() -> new PlatformEdge(A, B, -1)).hasMessageContaining("drops");
  }

  @Test
  void feesAccruedButNeverPaidGiveNoTrust() {
    NodePublicKey m = platform(20);
    List<PlatformEdge> paid = List.of(new PlatformEdge(A, B, 1_000), new PlatformEdge(B, A, 1_000),
        new PlatformEdge(A, m, 10, 10));
    // A owes m a fortune it never paid: the same graph by what moved
    List<PlatformEdge> owed = List.of(new PlatformEdge(A, B, 1_000), new PlatformEdge(B, A, 1_000),
        new PlatformEdge(A, m, 10, 1_000_000_000L));
    TrustScores byPaid = PlatformTrust.compute(List.of(A, B, m), paid, Set.of(A), 0.15, 500, 1e-14);
    TrustScores byOwed = PlatformTrust.compute(List.of(A, B, m), owed, Set.of(A), 0.15, 500, 1e-14);
    assertThat(byOwed.weight(m)).isEqualTo(byPaid.weight(m)).isLessThan(0.05);
    // what was paid does count
    List<PlatformEdge> settled = List.of(new PlatformEdge(A, B, 1_000), new PlatformEdge(B, A, 1_000),
        new PlatformEdge(A, m, 1_000_000_000L));
    assertThat(PlatformTrust.compute(List.of(A, B, m), settled, Set.of(A), 0.15, 500, 1e-14).weight(m))
        .isGreaterThan(0.5);
  }
}
