package io.fedsearch.privacy.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad configuration fails clearly, naming the setting. */
class ReleaseConfigTest {
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
    "privacy.epsilon|0|must be > 0",
    "privacy.epsilon|-1|must be > 0",
    "privacy.epsilon|abc|is not a decimal number",
    "privacy.epsilon|1000|at most 100",
    "privacy.delta|1|must be < 1",
    "privacy.delta|1.5|must be < 1",
    "privacy.delta|0|must be > 0",
    "privacy.delta|-0.1|must be > 0",
    "privacy.max-cids-per-payer|0|must be in 1..1000",
    "privacy.max-drops-per-cid|0|must be in 1..",
    "privacy.epoch-seconds|10|at least 60",
    "privacy.mechanism|cauchy|must be \"laplace\" or \"gaussian\"",
    "privacy.lifetime-epsilon|0.5|must be at least privacy.epsilon",
    "privacy.lifetime-delta|1e-9|must be at least privacy.delta",
    "privacy.epsilon|0.1234567890123|at most 12 decimal places",
  })
  void badSettingIsNamed(String key, String value, String problem) {
    assertThatThrownBy(() -> ReleaseConfig.fromProperties(Map.of(key, value)))
        .isInstanceOf(InvalidPrivacyConfigException.class)
        .hasMessageStartingWith(key + " ")
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((InvalidPrivacyConfigException) e).setting()).isEqualTo(key));
  }

  @Test
  void defaultsAndOverrides() {
    ReleaseConfig d = ReleaseConfig.fromProperties(Map.of());
    assertThat(d).isEqualTo(ReleaseConfig.defaults());
    assertThat(d.epsilon()).isEqualByComparingTo("1");
    assertThat(d.maxCidsPerPayer()).isEqualTo(2);
    assertThat(d.creatorShare()).isEqualByComparingTo("0.3");
    assertThat(d.treeLevels()).isEqualTo(6);
    assertThat(d.unit(Unit.CID).epsilon()).isEqualByComparingTo("0.7");
    assertThat(d.unit(Unit.CREATOR).delta()).isEqualByComparingTo("3e-7");
    ReleaseConfig c = ReleaseConfig.fromProperties(Map.of("privacy.mechanism", "gaussian", "privacy.epsilon", "0.50",
        "privacy.epoch-seconds", "3600"));
    assertThat(c.mechanism()).isEqualTo(Mechanism.GAUSSIAN);
    assertThat(c.epsilon()).isEqualTo(new BigDecimal("0.5"));
    assertThat(c.epochOf(7200)).isEqualTo(2);
  }

  @Test
  void noiseScaleBeyondALongIsRefused() {
    ReleaseConfig c = ReleaseConfig.fromProperties(Map.of("privacy.epsilon", "0.000001",
        "privacy.max-cids-per-payer", "1000", "privacy.max-drops-per-cid", "1000000000000"));
    assertThatThrownBy(() -> Calibration.of(c)).isInstanceOf(InvalidPrivacyConfigException.class)
        .hasMessageStartingWith("privacy.epsilon is too small for privacy.max-cids-per-payer");
    assertThatThrownBy(() -> Calibration.of(c.withMechanism(Mechanism.GAUSSIAN).withEpsilon(new BigDecimal("0.001"))))
        .isInstanceOf(InvalidPrivacyConfigException.class).hasMessageContaining("over 10^15");
  }

  @Test
  void gaussianWithVanishingEpsilonIsRefused() {
    ReleaseConfig c = ReleaseConfig.fromProperties(Map.of("privacy.mechanism", "gaussian",
        "privacy.epsilon", "0.000000000001"));
    assertThatThrownBy(() -> Calibration.of(c)).isInstanceOf(InvalidPrivacyConfigException.class)
        .hasMessageStartingWith("privacy.epsilon ");
  }
}
