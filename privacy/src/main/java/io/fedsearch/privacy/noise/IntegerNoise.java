package io.fedsearch.privacy.noise;

import java.security.SecureRandom;

/** Integer-valued noise sampled exactly from its stated distribution. */
public interface IntegerNoise {
  long sample(SecureRandom rng);
}
