package io.fedsearch.privacy.release;

import io.fedsearch.core.sign.SigningDomain;
import io.fedsearch.privacy.signing.RecordSigner;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One node's signal release at the close of one epoch: running totals per CID ({@link #rows()}, what ranking reads)
 * and per creator ({@link #creatorRows()}, what reputation reads) over the window {@link #windowStart()}..{@link
 * #epoch()}, each the sum of the dyadic tree nodes of {@link EpochTree#window}, with the privacy parameters of each
 * unit. What other nodes, ranking and reputation read.
 *
 * <p><b>Canonical form</b> ({@link #canonicalJson()}): UTF-8 JSON, no whitespace, object keys in ascending byte
 * order, integers in plain decimal, ε and δ as decimal strings in the shortest plain form, rows sorted by key, every
 * string a printable ASCII token that needs no escaping (checked on construction):
 *
 * <pre>{"cids":{"count_scale":"16","delta":"0.0000005","epsilon":"0.5","max_drops":2000000,"max_keys_per_payer":4,
 * "nodes":3,"rows":[{"cid":"bafk…","noisy_payers":131,"noisy_sum":250400123}],"sum_scale":"32000000",
 * "threshold":245},"creators":{…,"rows":[{"creator":"&lt;64 hex&gt;","noisy_payers":40,"noisy_sum":…}],…},
 * "epoch":20413,"epoch_seconds":86400,"mechanism":"laplace","node_key":"&lt;64 hex&gt;","tree_levels":6,
 * "version":2,"window_start":20352}</pre>
 *
 * <p><b>Signature</b>: Ed25519 by the node key over SHA-256(canonical JSON) for {@link SigningDomain#SIGNAL_RELEASE} — a fixed
 * 61-byte message whatever the release's size, as entries sign their CID.
 */
public record SignalRelease(
    String nodeKey,
    long epoch,
    long epochSeconds,
    Mechanism mechanism,
    int treeLevels,
    long windowStart,
    UnitParameters cidUnit,
    List<SignalRow> rows,
    UnitParameters creatorUnit,
    List<CreatorRow> creatorRows) {
  public static final int VERSION = 2;
  public static final String SIGNING_DOMAIN = SigningDomain.SIGNAL_RELEASE.tagText();
  static final int MAX_CID_CHARS = 128;
  /** Most payers a row may claim: more than there are XRP Ledger accounts, so only a lie exceeds it. */
  public static final long MAX_PAYERS = 1_000_000_000L;
  /** Noise draws beyond this many scales have probability below e^-64: a larger value is not noise. */
  static final long NOISE_SCALES = 64;

  public SignalRelease {
    if (nodeKey == null || !nodeKey.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("node_key must be 64 lowercase hex characters");
    }
    if (epoch < 0 || epochSeconds < 60 || epochSeconds > 366L * 86400) {
      throw new IllegalArgumentException("epoch must be ≥ 0 and epoch_seconds in 60..31622400");
    }
    if (treeLevels < 1 || treeLevels > EpochTree.MAX_LEVELS) {
      throw new IllegalArgumentException("tree_levels must be in 1.." + EpochTree.MAX_LEVELS);
    }
    if (windowStart != EpochTree.windowStart(epoch, treeLevels)) {
      throw new IllegalArgumentException("window_start must be " + EpochTree.windowStart(epoch, treeLevels)
          + " for epoch " + epoch + " and " + treeLevels + " tree levels (got " + windowStart + ")");
    }
    int nodes = EpochTree.nodes(epoch, treeLevels);
    if (cidUnit == null || creatorUnit == null || cidUnit.nodes() != nodes || creatorUnit.nodes() != nodes) {
      throw new IllegalArgumentException("each unit must state nodes=" + nodes + " for this epoch and tree");
    }
    rows = List.copyOf(rows);
    creatorRows = List.copyOf(creatorRows);
    if (rows.size() > SignalMechanism.MAX_ROWS || creatorRows.size() > SignalMechanism.MAX_CREATOR_ROWS) {
      throw new IllegalArgumentException("at most " + SignalMechanism.MAX_ROWS + " CID rows and "
          + SignalMechanism.MAX_CREATOR_ROWS + " creator rows (got " + rows.size() + ", " + creatorRows.size() + ")");
    }
    for (int i = 1; i < rows.size(); i++) {
      if (rows.get(i - 1).cid().compareTo(rows.get(i).cid()) >= 0) {
        throw new IllegalArgumentException("rows must be sorted by CID without duplicates");
      }
    }
    for (int i = 1; i < creatorRows.size(); i++) {
      if (creatorRows.get(i - 1).creator().compareTo(creatorRows.get(i).creator()) >= 0) {
        throw new IllegalArgumentException("creator rows must be sorted by creator without duplicates");
      }
    }
  }

  public byte[] nodeKeyBytes() {
    return HexFormat.of().parseHex(nodeKey);
  }

  /** The parameters of {@code unit}. */
  public UnitParameters unit(Unit unit) {
    return unit == Unit.CID ? cidUnit : creatorUnit;
  }

  /** Noise scale of one node's payer count in the CID unit (Laplace b or Gaussian σ²). */
  public String countScale() {
    return cidUnit.countScale();
  }

  /** Noise scale of one node's sum in the CID unit. */
  public String sumScale() {
    return cidUnit.sumScale();
  }

  /** Partition-selection threshold of the CID unit. */
  public long threshold() {
    return cidUnit.threshold();
  }

  /** ε of this release: both units' nodes together (what the node's budget ledger charged for this epoch). */
  public BigDecimal epsilon() {
    return canonicalDecimal(cidUnit.epsilon().add(creatorUnit.epsilon()));
  }

  /** The row of {@code cid}, if this release has one. */
  public Optional<SignalRow> row(String cid) {
    int i = search(rows.size(), k -> rows.get(k).cid().compareTo(cid));
    return i < 0 ? Optional.empty() : Optional.of(rows.get(i));
  }

  /** The row of the creator whose {@link CreatorKey} is {@code creatorKey}, if this release has one. */
  public Optional<CreatorRow> creatorRow(String creatorKey) {
    int i = search(creatorRows.size(), k -> creatorRows.get(k).creator().compareTo(creatorKey));
    return i < 0 ? Optional.empty() : Optional.of(creatorRows.get(i));
  }

  private static int search(int size, java.util.function.IntUnaryOperator compareAt) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = compareAt.applyAsInt(mid);
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  /**
   * Checks what a receiver can check without the data: each unit's noise scales and threshold are the ones its
   * stated (mechanism, ε, δ, L, C) give, those settings are within what any node may configure, and no row claims
   * more than {@link #MAX_PAYERS} payers plus {@link #NOISE_SCALES} noise scales per node (or a sum beyond C drops
   * each). Throws naming the first inconsistency.
   */
  public void checkConsistent() throws InvalidReleaseException {
    for (Unit u : Unit.values()) {
      UnitParameters p = unit(u);
      Calibration cal;
      try {
        cal = Calibration.of(p.budget(u, mechanism));
      } catch (IllegalArgumentException e) {
        throw new InvalidReleaseException(u.wireName() + ": stated privacy settings are not valid: " + e.getMessage());
      }
      if (p.epsilon().compareTo(ReleaseConfig.MAX_EPSILON) > 0 || p.maxKeysPerPayer() > ReleaseConfig.MAX_L
          || p.maxDropsPerKey() > ReleaseConfig.MAX_C) {
        throw new InvalidReleaseException(u.wireName() + ": epsilon, max_keys_per_payer or max_drops above what"
            + " any node may configure");
      }
      if (!cal.countScale().toString().equals(p.countScale()) || !cal.sumScale().toString().equals(p.sumScale())
          || cal.threshold() != p.threshold()) {
        throw new InvalidReleaseException(u.wireName() + ": noise scales and threshold (" + p.countScale() + ", "
            + p.sumScale() + ", " + p.threshold() + ") do not follow from the stated settings (expected "
            + cal.countScale() + ", " + cal.sumScale() + ", " + cal.threshold() + ")");
      }
      long noise = BigInteger.valueOf(NOISE_SCALES * p.nodes()).multiply(cal.countNoiseBound()).min(
          BigInteger.valueOf(Long.MAX_VALUE / 4)).longValueExact();
      long maxPayers = MAX_PAYERS * p.nodes() + noise;
      BigInteger maxSum = BigInteger.valueOf(maxPayers).multiply(BigInteger.valueOf(p.maxDropsPerKey()))
          .add(BigInteger.valueOf(NOISE_SCALES * p.nodes()).multiply(cal.sumNoiseBound()));
      List<long[]> values = u == Unit.CID ? rows.stream().map(r -> new long[] {r.noisyPayers(), r.noisySum()}).toList()
          : creatorRows.stream().map(r -> new long[] {r.noisyPayers(), r.noisySum()}).toList();
      for (long[] v : values) {
        if (Math.abs(v[0]) > maxPayers || BigInteger.valueOf(v[1]).abs().compareTo(maxSum) > 0) {
          throw new InvalidReleaseException(u.wireName() + ": a row claims " + v[0] + " payers / " + v[1]
              + " drops, beyond any count plus noise (at most " + maxPayers + " payers)");
        }
      }
    }
  }

  /** The canonical JSON of this release (what the signature's digest covers). */
  public String canonicalJson() {
    StringBuilder sb = new StringBuilder(512 + rows.size() * 96 + creatorRows.size() * 112);
    sb.append("{\"cids\":");
    unitJson(sb, cidUnit, () -> {
      for (int i = 0; i < rows.size(); i++) {
        SignalRow r = rows.get(i);
        sb.append(i > 0 ? "," : "").append("{\"cid\":\"").append(r.cid()).append("\",\"noisy_payers\":")
            .append(r.noisyPayers()).append(",\"noisy_sum\":").append(r.noisySum()).append('}');
      }
    });
    sb.append(",\"creators\":");
    unitJson(sb, creatorUnit, () -> {
      for (int i = 0; i < creatorRows.size(); i++) {
        CreatorRow r = creatorRows.get(i);
        sb.append(i > 0 ? "," : "").append("{\"creator\":\"").append(r.creator()).append("\",\"noisy_payers\":")
            .append(r.noisyPayers()).append(",\"noisy_sum\":").append(r.noisySum()).append('}');
      }
    });
    sb.append(",\"epoch\":").append(epoch)
        .append(",\"epoch_seconds\":").append(epochSeconds)
        .append(",\"mechanism\":\"").append(mechanism.wireName())
        .append("\",\"node_key\":\"").append(nodeKey)
        .append("\",\"tree_levels\":").append(treeLevels)
        .append(",\"version\":").append(VERSION)
        .append(",\"window_start\":").append(windowStart).append('}');
    return sb.toString();
  }

  private static void unitJson(StringBuilder sb, UnitParameters p, Runnable rows) {
    sb.append("{\"count_scale\":\"").append(p.countScale())
        .append("\",\"delta\":\"").append(p.delta().toPlainString())
        .append("\",\"epsilon\":\"").append(p.epsilon().toPlainString())
        .append("\",\"max_drops\":").append(p.maxDropsPerKey())
        .append(",\"max_keys_per_payer\":").append(p.maxKeysPerPayer())
        .append(",\"nodes\":").append(p.nodes())
        .append(",\"rows\":[");
    rows.run();
    sb.append("],\"sum_scale\":\"").append(p.sumScale())
        .append("\",\"threshold\":").append(p.threshold()).append('}');
  }

  /** The message a signature covers: the domain tag, then SHA-256 of the canonical JSON (UTF-8). */
  public byte[] signingBytes() {
    return signingBytes(canonicalJson());
  }

  static byte[] signingBytes(String canonicalJson) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(canonicalJson.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    return SigningDomain.SIGNAL_RELEASE.message(digest);
  }

  /** Signs with the node key; {@code signer}'s public key must be this release's {@code node_key}. */
  public SignedRelease sign(RecordSigner signer) {
    if (!HexFormat.of().formatHex(signer.publicKey()).equals(nodeKey)) {
      throw new IllegalArgumentException("signer's public key is not this release's node_key");
    }
    return new SignedRelease(this, signer.sign(signingBytes()));
  }

  static BigDecimal canonicalDecimal(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  /** CIDs in text form (multibase base32/base58btc): 1-128 ASCII letters and digits. */
  public static boolean isCid(String s) {
    return isPrintableToken(s, MAX_CID_CHARS) && s.indexOf('/') < 0;
  }

  static boolean isPrintableToken(String s, int maxChars) {
    if (s == null || s.isEmpty() || s.length() > maxChars) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '/';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
