package io.fedsearch.reputation.score;

import java.util.Arrays;

/**
 * Signal rows in columns of primitives, the form scores are computed from: a release is (platform, epoch, payer
 * noise stddev, sum noise stddev, partition threshold); a row is (creator, release, noisy payers, noisy sum).
 * Creators and platforms are dense indices assigned by whoever fills the table. Sixteen bytes per row plus four for the sort order, so ten
 * million rows fit in ~200 MB with no object per row.
 */
public final class SignalTable {
  private int releases;
  private int[] relPlatform = new int[16];
  private int[] relEpoch = new int[16];
  private float[] relPayerSd = new float[16];
  private float[] relSumSd = new float[16];
  private float[] relThreshold = new float[16];

  private int rows;
  private int[] rowCreator;
  private int[] rowRelease;
  private float[] rowPayers;
  private float[] rowSum;

  private int creators;
  private int platforms;

  public SignalTable(int expectedRows) {
    int cap = Math.max(16, expectedRows);
    rowCreator = new int[cap];
    rowRelease = new int[cap];
    rowPayers = new float[cap];
    rowSum = new float[cap];
  }

  /** Adds a release and returns its index. */
  public int addRelease(int platform, int epoch, double payerSd, double sumSd, double threshold) {
    if (platform < 0 || epoch < 0 || !(payerSd >= 0) || !(sumSd >= 0) || !(threshold >= 0)) {
      throw new IllegalArgumentException("release: platform, epoch, stddevs and threshold must be >= 0");
    }
    if (releases == relPlatform.length) {
      int cap = releases * 2;
      relPlatform = Arrays.copyOf(relPlatform, cap);
      relEpoch = Arrays.copyOf(relEpoch, cap);
      relPayerSd = Arrays.copyOf(relPayerSd, cap);
      relSumSd = Arrays.copyOf(relSumSd, cap);
      relThreshold = Arrays.copyOf(relThreshold, cap);
    }
    relPlatform[releases] = platform;
    relEpoch[releases] = epoch;
    relPayerSd[releases] = (float) payerSd;
    relSumSd[releases] = (float) sumSd;
    relThreshold[releases] = (float) threshold;
    platforms = Math.max(platforms, platform + 1);
    return releases++;
  }

  /** Adds one row of {@code release} attributed to {@code creator}. */
  public void addRow(int creator, int release, double noisyPayers, double noisySum) {
    if (creator < 0 || release < 0 || release >= releases) {
      throw new IllegalArgumentException("row: creator must be >= 0 and release an existing index, got "
          + creator + ", " + release);
    }
    if (rows == rowCreator.length) {
      int cap = rows + (rows >> 1) + 16;
      rowCreator = Arrays.copyOf(rowCreator, cap);
      rowRelease = Arrays.copyOf(rowRelease, cap);
      rowPayers = Arrays.copyOf(rowPayers, cap);
      rowSum = Arrays.copyOf(rowSum, cap);
    }
    rowCreator[rows] = creator;
    rowRelease[rows] = release;
    rowPayers[rows] = (float) noisyPayers;
    rowSum[rows] = (float) noisySum;
    creators = Math.max(creators, creator + 1);
    rows++;
  }

  /** Declares at least {@code n} creators (so creators with no rows still get a score). */
  public void ensureCreators(int n) {
    creators = Math.max(creators, n);
  }

  /** Declares at least {@code n} platforms. */
  public void ensurePlatforms(int n) {
    platforms = Math.max(platforms, n);
  }

  public int rows() {
    return rows;
  }

  public int releases() {
    return releases;
  }

  public int creators() {
    return creators;
  }

  public int platforms() {
    return platforms;
  }

  int rowCreator(int r) {
    return rowCreator[r];
  }

  int rowRelease(int r) {
    return rowRelease[r];
  }

  float rowPayers(int r) {
    return rowPayers[r];
  }

  /** Noisy payers of row {@code r} (for benchmarks' baseline scans). */
  public float rowPayersForScan(int r) {
    return rowPayers[r];
  }

  float rowSum(int r) {
    return rowSum[r];
  }

  int releasePlatform(int rel) {
    return relPlatform[rel];
  }

  int releaseEpoch(int rel) {
    return relEpoch[rel];
  }

  float releasePayerSd(int rel) {
    return relPayerSd[rel];
  }

  float releaseSumSd(int rel) {
    return relSumSd[rel];
  }

  float releaseThreshold(int rel) {
    return relThreshold[rel];
  }

  /** Replaces the noisy values of row {@code r} (the attack harness re-runs one table under different attacks). */
  public void setRow(int r, double noisyPayers, double noisySum) {
    rowPayers[r] = (float) noisyPayers;
    rowSum[r] = (float) noisySum;
  }

  /** Drops rows added after the first {@code n} (keeps releases). */
  public void truncateRows(int n) {
    if (n < 0 || n > rows) {
      throw new IllegalArgumentException("truncate: " + n + " not in [0, " + rows + "]");
    }
    rows = n;
  }
}
