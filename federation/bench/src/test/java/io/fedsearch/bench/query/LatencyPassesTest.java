package io.fedsearch.bench.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyPassesTest {
  @Test
  void passesFillAboutFiveSecondsWithinTheBounds() {
    assertThat(LatencyPasses.count(60_000_000L)).as("a 60 ms pass on loopback").isEqualTo(LatencyPasses.MAX);
    assertThat(LatencyPasses.count(1_000_000_000L)).isEqualTo(5);
    assertThat(LatencyPasses.count(12_600_000_000L)).as("a pass over a 20 ms link").isEqualTo(LatencyPasses.MIN);
    assertThat(LatencyPasses.count(0)).isEqualTo(LatencyPasses.MAX);
  }

  @Test
  void theFigureIsTheMedianPasssPercentile() {
    double[][] passes = {{1, 2, 3, 100}, {1, 2, 3, 4}, {1, 2, 3, 5}};
    assertThat(LatencyPasses.median(passes, 0.99)).as("one stalled pass does not move it").isEqualTo(5);
    assertThat(LatencyPasses.median(passes, 0.5)).isEqualTo(2);
  }
}
