package io.fedsearch.bench.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SimulatedNoiseTest {
  @Test
  void eachCellDrawsTheSameNoiseEveryTime() {
    SimulatedNoise a = new SimulatedNoise(5);
    SimulatedNoise b = new SimulatedNoise(5);
    for (long cell = 0; cell < 1000; cell++) {
      assertThat(a.sample(cell)).isEqualTo(b.sample(cell)).isEqualTo(a.sample(cell));
    }
  }

  /** The privacy module's sampler through the simulation's random source: the discrete Laplace variance. */
  @Test
  void drawsHaveTheDiscreteLaplaceSpread() {
    SimulatedNoise n = new SimulatedNoise(3);
    int draws = 40_000;
    double sumSq = 0;
    double sum = 0;
    for (long cell = 0; cell < draws; cell++) {
      long x = n.sample(Hashing.mix(7, cell));
      sum += x;
      sumSq += (double) x * x;
    }
    double sd = Math.sqrt(sumSq / draws - (sum / draws) * (sum / draws));
    assertThat(sd).isCloseTo(n.stddev(), within(0.03 * n.stddev()));
    assertThat(sum / draws).isCloseTo(0, within(0.1));
  }
}
