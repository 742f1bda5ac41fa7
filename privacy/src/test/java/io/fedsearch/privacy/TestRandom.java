package io.fedsearch.privacy;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * A seeded, fast {@link SecureRandom} for tests only: statistical tests need millions of draws and a reproducible
 * outcome. It overrides every method the samplers use with SplittableRandom's exactly-uniform ones. Production code
 * never sees it (it lives in test sources).
 */
public final class TestRandom extends SecureRandom {
  private final SplittableRandom r;

  public TestRandom(long seed) {
    super(new byte[0]);
    this.r = new SplittableRandom(seed);
  }

  @Override
  public synchronized void nextBytes(byte[] bytes) {
    if (r == null) {
      return; // called by the superclass constructor
    }
    r.nextBytes(bytes);
  }

  @Override
  public int nextInt() {
    return r.nextInt();
  }

  @Override
  public int nextInt(int bound) {
    return r.nextInt(bound);
  }

  @Override
  public long nextLong() {
    return r.nextLong();
  }

  @Override
  public long nextLong(long bound) {
    return r.nextLong(bound);
  }

  @Override
  public boolean nextBoolean() {
    return r.nextBoolean();
  }

  @Override
  public double nextDouble() {
    return r.nextDouble();
  }
}
