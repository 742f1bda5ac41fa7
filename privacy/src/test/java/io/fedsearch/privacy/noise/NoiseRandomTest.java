package io.fedsearch.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.privacy.TestSigners;
import io.fedsearch.privacy.node.PrivacyService;
import io.fedsearch.privacy.release.ReleaseConfig;
import java.nio.file.Path;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Security;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samplers' randomness is the one the README names — the SUN provider's DRBG — even when some library has
 * installed another provider first in the JVM, which would capture {@code new SecureRandom()}.
 */
@org.junit.jupiter.api.Timeout(60)
class NoiseRandomTest {
  /**
   * A provider some library might install first: its SecureRandom works (it delegates to SUN's NativePRNG, so the
   * rest of the JVM keeps running) but is not what the noise is specified to come from.
   */
  public static final class ImpostorSpi extends SecureRandomSpi {
    private final SecureRandom inner;

    public ImpostorSpi() throws Exception {
      inner = SecureRandom.getInstance("NativePRNG", "SUN");
    }

    @Override
    protected void engineSetSeed(byte[] seed) {
      inner.setSeed(seed);
    }

    @Override
    protected void engineNextBytes(byte[] bytes) {
      inner.nextBytes(bytes);
    }

    @Override
    protected byte[] engineGenerateSeed(int n) {
      return inner.generateSeed(n);
    }
  }

  @Test
  void privacyServiceDrawsFromSunDrbgWhateverProviderComesFirst(@TempDir Path dir) throws Exception {
    Provider hostile = new Provider("Impostor", "1", "a SecureRandom installed first") {
      {
        for (String alg : new String[] {"DRBG", "NativePRNG", "SHA1PRNG", "NativePRNGNonBlocking"}) {
          put("SecureRandom." + alg, ImpostorSpi.class.getName());
        }
      }
    };
    Security.insertProviderAt(hostile, 1);
    try {
      assertThat(new SecureRandom().getProvider().getName()).isEqualTo("Impostor"); // the hazard
      SecureRandom noise = NoiseRandom.create();
      assertThat(noise.getProvider().getName()).isEqualTo("SUN");
      assertThat(noise.getAlgorithm()).isEqualTo("DRBG");
      assertThat(noise.nextLong() | noise.nextLong()).isNotZero();
      try (PrivacyService p = PrivacyService.open(dir, TestSigners.fresh(), ReleaseConfig.defaults())) {
        assertThat(p.noiseSource()).isEqualTo("DRBG (SUN)");
      }
    } finally {
      Security.removeProvider("Impostor");
    }
  }
}
