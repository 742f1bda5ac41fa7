package io.fedsearch.privacy.noise;

import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.SecureRandom;

/**
 * The randomness every noise draw and every bounding choice of a node comes from: the JDK's own NIST SP 800-90A
 * Hash_DRBG ({@value #ALGORITHM} from the {@value #PROVIDER} provider) at 256-bit strength, seeded and reseeded
 * from the operating system's entropy. Named explicitly rather than {@code new SecureRandom()}, whose choice is
 * whatever provider sits first in the JVM's list: a native provider installed JVM-wide by any library would
 * otherwise silently change where DP noise comes from.
 */
public final class NoiseRandom {
  public static final String ALGORITHM = "DRBG";
  public static final String PROVIDER = "SUN";
  private static final byte[] PERSONALIZATION = "fedsearch/privacy/noise/v1".getBytes(StandardCharsets.US_ASCII);

  private NoiseRandom() {}

  /** A new generator (each node's privacy service holds one; it is thread-safe). */
  public static SecureRandom create() {
    try {
      return SecureRandom.getInstance(ALGORITHM,
          DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, PERSONALIZATION), PROVIDER);
    } catch (NoSuchAlgorithmException | NoSuchProviderException e) {
      throw new IllegalStateException("this JVM lacks the " + PROVIDER + " provider's " + ALGORITHM
          + ", which the DP noise is specified to come from", e);
    }
  }
}
