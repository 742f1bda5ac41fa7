package io.fedsearch.bench.attack;

import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.SplittableRandom;

/**
 * A {@link SecureRandom} whose bytes come from a {@link SplittableRandom} seeded per draw, so the harness can run
 * the privacy module's exact samplers (which take a {@code SecureRandom}) on common random numbers: the same
 * (seed, platform, item, epoch) always gets the same noise. Simulation only — it is predictable by construction and
 * never reaches a real release.
 */
final class SimulationRandom extends SecureRandom {
  private final Spi spi;

  private SimulationRandom(Spi spi) {
    super(spi, null);
    this.spi = spi;
  }

  static SimulationRandom create() {
    return new SimulationRandom(new Spi());
  }

  /** Restarts the stream at {@code seed}. */
  void reseed(long seed) {
    spi.rng = new SplittableRandom(seed);
  }

  private static final class Spi extends SecureRandomSpi {
    private SplittableRandom rng = new SplittableRandom(0);

    @Override
    protected void engineSetSeed(byte[] seed) {
      // the seed is set through reseed(long) only
    }

    @Override
    protected void engineNextBytes(byte[] bytes) {
      rng.nextBytes(bytes);
    }

    @Override
    protected byte[] engineGenerateSeed(int numBytes) {
      byte[] b = new byte[numBytes];
      rng.nextBytes(b);
      return b;
    }
  }
}
