package io.fedsearch.reputation.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DiscreteLaplaceTest {
  /** Chi-square against the exact pmf P(x) = (1 - q) / (1 + q) · q^|x|, q = e^(-1/t), 200,000 draws. */
  @Test
  void matchesTheExactDistribution() {
    for (long t : new long[] {1, 2, 5}) {
      DiscreteLaplace d = new DiscreteLaplace(t);
      SplittableRandom rng = new SplittableRandom(t);
      int n = 200_000;
      int bins = (int) (8 * t);
      long[] counts = new long[2 * bins + 1];
      double sumSq = 0;
      for (int i = 0; i < n; i++) {
        long x = d.sample(rng);
        sumSq += (double) x * x;
        counts[(int) Math.max(-bins, Math.min(bins, x)) + bins]++;
      }
      double q = Math.exp(-1.0 / t);
      double chi = 0;
      for (int b = -bins; b <= bins; b++) {
        double p = (1 - q) / (1 + q) * Math.pow(q, Math.abs(b));
        if (Math.abs(b) == bins) {
          p = q * Math.pow(q, bins - 1) / (1 + q); // tail mass beyond ±(bins-1) on one side
        }
        double expected = n * p;
        double diff = counts[b + bins] - expected;
        chi += diff * diff / expected;
      }
      // 2·bins degrees of freedom; 99.9 % quantile is below df + 4.5·sqrt(2 df) for these df
      int df = 2 * bins;
      assertThat(chi).as("chi-square, t=" + t).isLessThan(df + 4.5 * Math.sqrt(2.0 * df));
      assertThat(Math.sqrt(sumSq / n)).isCloseTo(d.stddev(), within(0.02 * d.stddev()));
    }
  }

  @Test
  void rejectsBadScales() {
    assertThatThrownBy(() -> new DiscreteLaplace(0)).hasMessageContaining("scale");
  }
}
