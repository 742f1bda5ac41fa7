package io.fedsearch.privacy.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.privacy.TestRandom;
import io.fedsearch.privacy.noise.DiscreteLaplace;
import io.fedsearch.privacy.noise.Ratio;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Empirical privacy audit of the whole release path (bounding → noise → partition selection) on neighbouring
 * datasets: D, and D' = D plus one payer. For an output event E, (ε, δ)-DP requires P_D'(E) ≤ e^ε·P_D(E) + δ, so
 * {@code ln((lower_{D'} − δ) / upper_D)} from one-sided Clopper–Pearson bounds at 2.5% each is a lower bound on the
 * true ε with confidence 95%; it must not exceed the configured ε. The chosen event (the target CID's noisy count
 * and noisy sum both at least their D' truths) makes the Laplace bound tight, and a deliberately under-noised
 * mechanism is shown to fail the same audit, so the audit has power.
 */
@Timeout(180)
class PrivacyAuditTest {
  private static final int RUNS = 40_000;
  private static final double ALPHA = 0.025;
  private static final long C = 1000;
  private static final String TARGET = "bafkreitarget";
  private static final String LONELY = "bafkreilonely";

  private static List<Contribution> dataset(boolean withExtraPayer) {
    List<Contribution> d = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      d.add(new Contribution("p" + i, TARGET, C));
    }
    for (int i = 0; i < 30; i++) {
      d.add(new Contribution("q" + i, "bafkreiother", 500));
    }
    if (withExtraPayer) {
      d.add(new Contribution("extra", TARGET, 5 * C)); // clamped to C by bounding
    }
    return d;
  }

  private static ReleaseConfig config(Mechanism m, String delta) {
    return ReleaseConfig.defaults().withMechanism(m).withBounds(1, C).withEpsilon(BigDecimal.ONE)
        .withLifetime(BigDecimal.TEN, new BigDecimal("0.5"))
        .withDelta(new BigDecimal(delta));
  }

  /** Fraction of runs (count) whose release satisfies the event. */
  private static int count(List<Contribution> data, ReleaseConfig config, Calibration cal, long seed,
      Predicate<List<SignalRow>> event) {
    TestRandom rng = new TestRandom(seed);
    ContributionBounder bounder = new ContributionBounder(config.maxCidsPerPayer(), config.maxDropsPerCid());
    int hits = 0;
    for (int i = 0; i < RUNS; i++) {
      SortedMap<String, CidAggregate> agg = bounder.bound(data, rng);
      if (event.test(SignalMechanism.release(agg, cal, rng))) {
        hits++;
      }
    }
    return hits;
  }

  private static Predicate<List<SignalRow>> targetAtLeast(long payers, long sum) {
    return rows -> rows.stream().anyMatch(r -> r.cid().equals(TARGET) && r.noisyPayers() >= payers
        && r.noisySum() >= sum);
  }

  private static double epsilonLowerBound(int hitsNeighbour, int hitsBase, double delta) {
    ClopperPearson cp = new ClopperPearson(RUNS);
    double lowerNeighbour = cp.lower(hitsNeighbour, ALPHA) - delta;
    double upperBase = cp.upper(hitsBase, ALPHA);
    return lowerNeighbour <= 0 ? 0 : Math.log(lowerNeighbour / upperBase);
  }

  @Test
  void laplaceReleaseDoesNotExceedItsEpsilon() {
    ReleaseConfig config = config(Mechanism.LAPLACE, "1e-6");
    Calibration cal = Calibration.of(config);
    Predicate<List<SignalRow>> e = targetAtLeast(51, 51 * C);
    int withExtra = count(dataset(true), config, cal, 11, e);
    int without = count(dataset(false), config, cal, 12, e);
    double epsLb = epsilonLowerBound(withExtra, without, 1e-6);
    System.out.printf("audit laplace: D' %d/%d, D %d/%d, epsilon lower bound %.4f (95%% confidence), configured 1%n",
        withExtra, RUNS, without, RUNS, epsLb);
    // The bound is tight for this event (true ratio e^1), so the estimate is close below ε = 1.
    assertThat(epsLb).as("ε lower bound (95%% confidence) from %d/%d vs %d/%d", withExtra, RUNS, without, RUNS)
        .isLessThanOrEqualTo(1.0)
        .isGreaterThan(0.85);
    // The reverse direction (removing the payer) is covered by the symmetric event.
    Predicate<List<SignalRow>> low = rows -> rows.stream().anyMatch(r -> r.cid().equals(TARGET)
        && r.noisyPayers() <= 50 && r.noisySum() <= 50 * C);
    double reverse = epsilonLowerBound(count(dataset(false), config, cal, 13, low),
        count(dataset(true), config, cal, 14, low), 1e-6);
    assertThat(reverse).isLessThanOrEqualTo(1.0).isGreaterThan(0.85);
  }

  @Test
  void underNoisedMechanismFailsTheSameAudit() {
    ReleaseConfig config = config(Mechanism.LAPLACE, "1e-6");
    Calibration honest = Calibration.of(config);
    // Half the noise scale: really 2-DP, claims 1.
    Calibration broken = new Calibration(Mechanism.LAPLACE, DiscreteLaplace.ofScale(Ratio.of(1, 1)),
        DiscreteLaplace.ofScale(Ratio.of(C, 1)), Ratio.of(1, 1), Ratio.of(C, 1), honest.threshold(),
        honest.epsilon(), honest.rho(), honest.selectionDelta());
    Predicate<List<SignalRow>> e = targetAtLeast(51, 51 * C);
    double epsLb = epsilonLowerBound(count(dataset(true), config, broken, 21, e),
        count(dataset(false), config, broken, 22, e), 1e-6);
    System.out.printf("audit under-noised laplace: epsilon lower bound %.4f, claims 1%n", epsLb);
    assertThat(epsLb).isGreaterThan(1.0);
  }

  @Test
  void gaussianReleaseDoesNotExceedItsEpsilon() {
    ReleaseConfig config = config(Mechanism.GAUSSIAN, "1e-6");
    Calibration cal = Calibration.of(config);
    for (long[] thresholds : new long[][] {{51, 51 * C}, {53, 53 * C}}) {
      Predicate<List<SignalRow>> e = targetAtLeast(thresholds[0], thresholds[1]);
      double epsLb = epsilonLowerBound(count(dataset(true), config, cal, 31 + thresholds[0], e),
          count(dataset(false), config, cal, 41 + thresholds[0], e), 1e-6);
      System.out.printf("audit gaussian (event >= %d payers): epsilon lower bound %.4f, configured 1%n",
          thresholds[0], epsLb);
      assertThat(epsLb).isLessThanOrEqualTo(1.0).isGreaterThan(0.0);
    }
  }

  @Test
  void partitionSelectionLeaksAtMostDelta() {
    // A CID bought only by the extra payer: absent from every release on D, so P_D'(released) ≤ δ must hold.
    // δ = 0.01 makes that probability measurable: τ = 1 + ⌈2·ln(100)⌉ = 11, exact leak P(X ≥ 10) ≈ 0.0042.
    ReleaseConfig config = config(Mechanism.LAPLACE, "0.01");
    Calibration cal = Calibration.of(config);
    assertThat(cal.threshold()).isEqualTo(11);
    List<Contribution> neighbour = new ArrayList<>(dataset(false));
    neighbour.add(new Contribution("extra", LONELY, C));
    Predicate<List<SignalRow>> released = rows -> rows.stream().anyMatch(r -> r.cid().equals(LONELY));
    int hits = count(neighbour, config, cal, 51, released);
    ClopperPearson cp = new ClopperPearson(RUNS);
    System.out.printf("audit partition selection: lonely CID released %d/%d, CP [%.5f, %.5f], delta 0.01%n", hits,
        RUNS, cp.lower(hits, ALPHA), cp.upper(hits, ALPHA));
    assertThat(cp.lower(hits, ALPHA)).as("%d/%d releases of the lonely CID", hits, RUNS).isLessThanOrEqualTo(0.01);
    double exact = Math.exp(-10 / 2.0) / (1 + Math.exp(-1 / 2.0));
    assertThat(cp.lower(hits, ALPHA)).isLessThanOrEqualTo(exact);
    assertThat(cp.upper(hits, ALPHA)).isGreaterThanOrEqualTo(exact);
  }
}
