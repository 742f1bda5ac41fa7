package io.fedsearch.bench.attack;

import io.fedsearch.privacy.noise.DiscreteLaplace;
import io.fedsearch.privacy.noise.Ratio;
import java.util.HashMap;
import java.util.Map;

/**
 * The release noise of the simulation: the privacy module's exact discrete Laplace sampler (the one real releases
 * use), driven by {@link SimulationRandom} so each draw is a pure function of its cell's seed, and memoised per cell
 * because the attack searches re-evaluate the same cells many times.
 */
final class SimulatedNoise {
  private final long scale;
  private final DiscreteLaplace laplace;
  private final SimulationRandom rng = SimulationRandom.create();
  private final Map<Long, Long> drawn = new HashMap<>();

  SimulatedNoise(long scale) {
    if (scale < 1) {
      throw new IllegalArgumentException("noise scale must be ≥ 1, got " + scale);
    }
    this.scale = scale;
    this.laplace = DiscreteLaplace.ofScale(Ratio.of(scale, 1));
  }

  /** The draw of the cell whose seed is {@code cellSeed}. */
  long sample(long cellSeed) {
    Long v = drawn.get(cellSeed);
    if (v == null) {
      rng.reseed(cellSeed);
      v = laplace.sample(rng);
      drawn.put(cellSeed, v);
    }
    return v;
  }

  /** Standard deviation of the discrete Laplace at integer scale t: {@code sqrt(2 e^(-1/t)) / (1 - e^(-1/t))}. */
  double stddev() {
    double q = Math.exp(-1.0 / scale);
    return Math.sqrt(2 * q) / (1 - q);
  }
}
