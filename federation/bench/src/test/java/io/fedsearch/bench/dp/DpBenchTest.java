package io.fedsearch.bench.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fedsearch.privacy.TestRandom;
import io.fedsearch.privacy.TestSigners;
import io.fedsearch.privacy.release.ReleaseConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bench's scoring and simulation on a small synthetic catalog. */
@Timeout(120)
class DpBenchTest {
  @Test
  void ndcgIsOneForTheIdealRankingAndLowerWhenSignalIsMissing() {
    List<DpBench.Candidate> c = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      c.add(new DpBench.Candidate(i, 1.0)); // equal text scores: the signal decides
    }
    double[] truth = new double[20];
    for (int i = 0; i < 20; i++) {
      truth[i] = i * 10;
    }
    assertThat(DpBench.ndcg10(c, truth, truth, 0.5)).isEqualTo(1.0);
    // No signal: ties broken by index, so the true bottom 10 come first: no overlap with the true top 10.
    assertThat(DpBench.ndcg10(c, new double[20], truth, 0.5)).isEqualTo(0.0);
    // Top two swapped: DCG loses (10-9)/1 - (10-9)/log2(3)
    double[] swapped = truth.clone();
    swapped[19] = 180;
    swapped[18] = 190;
    double idcg = 0;
    for (int r = 0; r < 10; r++) {
      idcg += (10 - r) / (Math.log(r + 2) / Math.log(2));
    }
    double expected = (idcg - 10 - 9 / (Math.log(3) / Math.log(2)) + 9 + 10 / (Math.log(3) / Math.log(2))) / idcg;
    assertThat(DpBench.ndcg10(c, swapped, truth, 0.5)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void simulationFollowsPopularity() {
    List<DpBench.Item> items = List.of(new DpBench.Item("bafya", 9000), new DpBench.Item("bafyb", 1000),
        new DpBench.Item("bafyc", 0));
    DpBench.Sim e = DpBench.simulate(items,
        new DpBench.Settings(100_000, 2, 2.5, 1, 0.5, 1, ReleaseConfig.defaults()));
    assertThat(e.purchases()).isEqualTo(200_000);
    long a = 0;
    long b = 0;
    for (int i : java.util.stream.IntStream.concat(java.util.Arrays.stream(e.item()[0]),
        java.util.Arrays.stream(e.item()[1])).toArray()) {
      assertThat(i).isNotEqualTo(2); // zero popularity is never bought
      if (i == 0) {
        a++;
      } else {
        b++;
      }
    }
    assertThat((double) a / (a + b)).isCloseTo(0.9, within(0.005));
    // A returning population: 3× the payers active in one epoch.
    assertThat(e.payers()).isEqualTo(120_000);
    assertThat(e.truthAt()[1][0]).isGreaterThan(e.truthAt()[0][0]);
    assertThatThrownBy(() -> DpBench.simulate(items,
        new DpBench.Settings(0, 2, 2.5, 1, 0.5, 1, ReleaseConfig.defaults()))).hasMessageContaining("payments");
  }

  @Test
  void endToEndUtilityRisesWithEpsilon() {
    SplittableRandom r = new SplittableRandom(5);
    List<DpBench.Item> items = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      items.add(new DpBench.Item("bafkitem" + i, (long) (1_000_000 / Math.pow(i + 1, 1.1)), "creator" + (i % 50)));
    }
    List<List<DpBench.Candidate>> queries = new ArrayList<>();
    for (int q = 0; q < 60; q++) {
      List<DpBench.Candidate> c = new ArrayList<>();
      for (int k = 0; k < 40; k++) {
        c.add(new DpBench.Candidate(r.nextInt(items.size()), 1 + r.nextDouble() * 5));
      }
      queries.add(c.stream().collect(java.util.stream.Collectors.toMap(DpBench.Candidate::item, x -> x, (x, y) -> x))
          .values().stream().toList());
    }
    DpBench.Report rep = DpBench.run(items, queries, List.of(new BigDecimal("0.1"), new BigDecimal("2")),
        new DpBench.Settings(30_000, 8, 2.5, 1, 0.5, 7, ReleaseConfig.defaults()), TestSigners.fresh(),
        new TestRandom(3));
    assertThat(rep.results()).hasSize(2);
    DpBench.EpsilonResult low = rep.results().get(0);
    DpBench.EpsilonResult high = rep.results().get(1);
    assertThat(high.ndcg10()).isGreaterThan(low.ndcg10()).isGreaterThan(rep.ndcg10TextOnly());
    assertThat(high.releasedFraction()).isGreaterThan(low.releasedFraction());
    assertThat(high.threshold()).isLessThan(low.threshold());
    assertThat(rep.ndcg10BoundedNoNoise()).isGreaterThan(high.ndcg10() - 0.05);
    assertThat(high.releasesPerSecond()).isPositive();
    assertThat(high.creatorsReleasedFraction()).isGreaterThanOrEqualTo(low.creatorsReleasedFraction());
    assertThat(high.releasedVolumeFraction()).isBetween(0.0, 1.0).isGreaterThan(low.releasedVolumeFraction());
    // Continual release: the running totals cover more of the catalog as epochs pass.
    assertThat(high.ndcg10ByEpoch()).containsKeys(1, 2, 4, 8);
  }
}
