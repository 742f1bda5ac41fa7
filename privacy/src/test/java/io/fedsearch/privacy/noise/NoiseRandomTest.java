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
class NoiseRandomTest {
  /** A provider whose SecureRandom returns zeros: what noise must never be drawn from. */
  public static final class ZeroSpi extends SecureRandomSpi {
    @Override
    protected void engineSetSeed(byte[] seed) {}

    @Override
    protected void engineNextBytes(byte[] bytes) {
      java.util.Arrays.fill(bytes, (byte) 0);
    }

    @Override
    protected byte[] engineGenerateSeed(int n) {
      return new byte[n];
    }
  }

  @Test
  void privacyServiceDrawsFromSunDrbgWhateverProviderComesFirst(@TempDir Path dir) throws Exception {
    Provider hostile = new Provider("ZeroRandom", "1", "returns zeros") {
      {
        for (String alg : new String[] {"DRBG", "NativePRNG", "SHA1PRNG", "NativePRNGNonBlocking"}) {
          put("SecureRandom." + alg, ZeroSpi.class.getName());
        }
      }
    };
    Security.insertProviderAt(hostile, 1);
    try {
      assertThat(new SecureRandom().getProvider().getName()).isEqualTo("ZeroRandom"); // the hazard
      SecureRandom noise = NoiseRandom.create();
      assertThat(noise.getProvider().getName()).isEqualTo("SUN");
      assertThat(noise.getAlgorithm()).isEqualTo("DRBG");
      assertThat(noise.nextLong() | noise.nextLong()).isNotZero();
      try (PrivacyService p = PrivacyService.open(dir, TestSigners.fresh(), ReleaseConfig.defaults())) {
        assertThat(p.noiseSource()).isEqualTo("DRBG (SUN)");
      }
    } finally {
      Security.removeProvider("ZeroRandom");
    }
  }
}
