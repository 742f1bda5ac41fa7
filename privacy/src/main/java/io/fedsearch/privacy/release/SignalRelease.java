package io.fedsearch.privacy.release;

import io.fedsearch.privacy.signing.RecordSigner;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One node's signal release for one epoch: its parameters and rows. What other nodes, ranking and reputation read.
 *
 * <p><b>Canonical form</b> ({@link #canonicalJson()}): UTF-8 JSON, no whitespace, object keys in ascending byte
 * order, integers in plain decimal without sign for non-negative values, ε and δ as decimal strings in the shortest
 * plain form ({@code BigDecimal.stripTrailingZeros().toPlainString()}), rows sorted by CID, every string a printable
 * ASCII token that needs no escaping (checked on construction). Two encoders that follow this produce the same
 * bytes, so the signature is over these bytes, prefixed by the domain tag {@value #SIGNING_DOMAIN}.
 *
 * <pre>{"count_scale":"8","delta":"0.000001","epoch":20413,"epoch_seconds":86400,"epsilon":"1",
 * "max_cids_per_payer":4,"max_drops_per_cid":2000000,"mechanism":"laplace","node_key":"&lt;64 hex&gt;",
 * "rows":[{"cid":"bafy…","noisy_payers":131,"noisy_sum":250400123}],"sum_scale":"16000000","threshold":123,
 * "version":1}</pre>
 *
 * {@code count_scale}/{@code sum_scale} are the Laplace scale b, or the Gaussian σ², as exact rationals
 * ({@code "n"} or {@code "n/d"}).
 */
public record SignalRelease(
    String nodeKey,
    long epoch,
    long epochSeconds,
    Mechanism mechanism,
    BigDecimal epsilon,
    BigDecimal delta,
    int maxCidsPerPayer,
    long maxDropsPerCid,
    long threshold,
    String countScale,
    String sumScale,
    List<SignalRow> rows) {
  public static final int VERSION = 1;
  public static final String SIGNING_DOMAIN = "fedsearch/signals/release/v1\n";
  static final int MAX_CID_CHARS = 128;

  public SignalRelease {
    if (nodeKey == null || !nodeKey.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("node_key must be 64 lowercase hex characters");
    }
    if (epoch < 0 || epochSeconds < 1 || maxCidsPerPayer < 1 || maxDropsPerCid < 1 || threshold < 0) {
      throw new IllegalArgumentException("epoch, epoch_seconds, max_cids_per_payer, max_drops_per_cid, threshold out of range");
    }
    if (epsilon == null || epsilon.signum() <= 0 || delta == null || delta.signum() <= 0
        || delta.compareTo(BigDecimal.ONE) >= 0) {
      throw new IllegalArgumentException("epsilon must be > 0 and delta in (0, 1)");
    }
    epsilon = canonicalDecimal(epsilon);
    delta = canonicalDecimal(delta);
    if (!isPrintableToken(countScale, 200) || !isPrintableToken(sumScale, 200)) {
      throw new IllegalArgumentException("count_scale and sum_scale must be short rational literals");
    }
    rows = List.copyOf(rows);
    if (rows.size() > SignalMechanism.MAX_ROWS) {
      throw new IllegalArgumentException("at most " + SignalMechanism.MAX_ROWS + " rows (got " + rows.size() + ")");
    }
    for (int i = 1; i < rows.size(); i++) {
      if (rows.get(i - 1).cid().compareTo(rows.get(i).cid()) >= 0) {
        throw new IllegalArgumentException("rows must be sorted by CID without duplicates");
      }
    }
  }

  public byte[] nodeKeyBytes() {
    return HexFormat.of().parseHex(nodeKey);
  }

  /** The row of {@code cid}, if this release has one. */
  public Optional<SignalRow> row(String cid) {
    int lo = 0;
    int hi = rows.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = rows.get(mid).cid().compareTo(cid);
      if (c == 0) {
        return Optional.of(rows.get(mid));
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return Optional.empty();
  }

  /** The canonical JSON of this release (the bytes that are signed, after the domain tag). */
  public String canonicalJson() {
    StringBuilder sb = new StringBuilder(256 + rows.size() * 96);
    sb.append("{\"count_scale\":\"").append(countScale)
        .append("\",\"delta\":\"").append(delta.toPlainString())
        .append("\",\"epoch\":").append(epoch)
        .append(",\"epoch_seconds\":").append(epochSeconds)
        .append(",\"epsilon\":\"").append(epsilon.toPlainString())
        .append("\",\"max_cids_per_payer\":").append(maxCidsPerPayer)
        .append(",\"max_drops_per_cid\":").append(maxDropsPerCid)
        .append(",\"mechanism\":\"").append(mechanism.wireName())
        .append("\",\"node_key\":\"").append(nodeKey)
        .append("\",\"rows\":[");
    for (int i = 0; i < rows.size(); i++) {
      SignalRow r = rows.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"cid\":\"").append(r.cid()).append("\",\"noisy_payers\":").append(r.noisyPayers())
          .append(",\"noisy_sum\":").append(r.noisySum()).append('}');
    }
    sb.append("],\"sum_scale\":\"").append(sumScale)
        .append("\",\"threshold\":").append(threshold)
        .append(",\"version\":").append(VERSION).append('}');
    return sb.toString();
  }

  /** The message a signature covers: domain tag then canonical JSON, UTF-8. */
  public byte[] signingBytes() {
    return (SIGNING_DOMAIN + canonicalJson()).getBytes(StandardCharsets.UTF_8);
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
