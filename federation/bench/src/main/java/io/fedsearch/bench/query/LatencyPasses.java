package io.fedsearch.bench.query;

/**
 * How latency is read from passes over a query set: each pass's percentile, then the median pass's, so a stall of
 * the shared machine moves one pass, not the figure; and how many passes to run.
 */
final class LatencyPasses {
  static final int MIN = 3;
  static final int MAX = 15;
  /** Passes are added, up to {@link #MAX}, until they fill about this long. */
  private static final double FILL_NANOS = 5e9;

  private LatencyPasses() {}

  /**
   * How many passes to run, given the first's duration: as many as fill ~5 s, from 3 to 15. A pass's p99 over a few
   * hundred queries is its third-slowest query, so the median of three passes still moved from 0.4 to 2.8 ms between
   * runs for the floor (session 14); on loopback fifteen passes take about a second, over a 20 ms link three take 40 s.
   */
  static int count(long firstPassNanos) {
    long fit = (long) Math.ceil(FILL_NANOS / Math.max(1, firstPassNanos));
    return (int) Math.max(MIN, Math.min(MAX, fit));
  }

  /** The median over passes of each pass's percentile {@code p}. */
  static double median(double[][] passes, double p) {
    double[] per = new double[passes.length];
    for (int i = 0; i < passes.length; i++) {
      per[i] = FederationBench.percentile(passes[i], p);
    }
    return FederationBench.percentile(per, 0.5);
  }
}
