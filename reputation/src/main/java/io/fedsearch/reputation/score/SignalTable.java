package io.fedsearch.reputation.score;

import java.util.Arrays;

/**
 * Signal rows in columns of primitives, the form scores are computed from: a release is (platform, epoch, payer
 * noise stddev, sum noise stddev, partition threshold, unit, span); a row is (creator, release, noisy payers, noisy
 * sum). A release's unit is a CID (one row per CID of the creator) or the creator itself (one row per creator, the
 * privacy release's creator unit); span is how many epochs its counts cover, ending at its epoch (1 for a per-epoch
 * release, the window for a continual release's running totals).
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
  private int[] relSpan = new int[16];
  private int[] relNodes = new int[16];
  private boolean[] relCreatorUnit = new boolean[16];

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

  /** Adds a per-epoch CID release and returns its index. */
  public int addRelease(int platform, int epoch, double payerSd, double sumSd, double threshold) {
    return add(platform, epoch, payerSd, sumSd, threshold, 1, 1, false);
  }

  /**
   * Adds a CID release whose counts are running totals over the {@code span} epochs ending at {@code epoch}, each
   * the sum of {@code nodes} independently bounded and noised parts (continual release); returns its index.
   */
  public int addRelease(int platform, int epoch, int span, int nodes, double payerSd, double sumSd,
      double threshold) {
    return add(platform, epoch, payerSd, sumSd, threshold, span, nodes, false);
  }

  /**
   * Adds a creator-unit release (one row per creator) whose counts are running totals over the {@code span} epochs
   * ending at {@code epoch}, each the sum of {@code nodes} tree nodes (1 and 1 for a per-epoch release); returns its
   * index.
   */
  public int addCreatorRelease(int platform, int epoch, int span, int nodes, double payerSd, double sumSd,
      double threshold) {
    return add(platform, epoch, payerSd, sumSd, threshold, span, nodes, true);
  }

  private int add(int platform, int epoch, double payerSd, double sumSd, double threshold, int span, int nodes,
      boolean creatorUnit) {
    if (platform < 0 || epoch < 0 || !(payerSd >= 0) || !(sumSd >= 0) || !(threshold >= 0) || span < 1
        || nodes < 1 || nodes > span) {
      throw new IllegalArgumentException("release: platform, epoch, stddevs and threshold must be >= 0, span >= 1,"
          + " nodes in 1..span");
    }
    if (releases == relPlatform.length) {
      int cap = releases * 2;
      relPlatform = Arrays.copyOf(relPlatform, cap);
      relEpoch = Arrays.copyOf(relEpoch, cap);
      relPayerSd = Arrays.copyOf(relPayerSd, cap);
      relSumSd = Arrays.copyOf(relSumSd, cap);
      relThreshold = Arrays.copyOf(relThreshold, cap);
      relSpan = Arrays.copyOf(relSpan, cap);
      relNodes = Arrays.copyOf(relNodes, cap);
      relCreatorUnit = Arrays.copyOf(relCreatorUnit, cap);
    }
    relPlatform[releases] = platform;
    relEpoch[releases] = epoch;
    relPayerSd[releases] = (float) payerSd;
    relSumSd[releases] = (float) sumSd;
    relThreshold[releases] = (float) threshold;
    relSpan[releases] = span;
    relNodes[releases] = nodes;
    relCreatorUnit[releases] = creatorUnit;
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

  int releaseSpan(int rel) {
    return relSpan[rel];
  }

  int releaseNodes(int rel) {
    return relNodes[rel];
  }

  boolean releaseIsCreatorUnit(int rel) {
    return relCreatorUnit[rel];
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
