package io.fedsearch.privacy.release;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.privacy.signing.RecordVerifier;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link SignalRelease} with its node's Ed25519 signature, and its byte encoding for HTTP ({@code GET
 * /api/signals?epoch=}) and the p2p {@code /fedsearch/signals/2.0.0} protocol. The wire form is the canonical JSON
 * envelope {@code {"release":<canonical release>,"signature":"<128 hex>"}} in UTF-8, at most {@link
 * #MAX_WIRE_BYTES}. {@link #decode} accepts only canonical bytes (it re-encodes and compares) with a valid
 * signature by the release's own {@code node_key} and parameters consistent with each other ({@link
 * SignalRelease#checkConsistent()}), so a decoded release is always one its node signed as a node following the
 * mechanism would. Whether that key is the peer's, and whether the epoch is past, is the receiver's check ({@code
 * SignalReleases.accept}).
 */
public final class SignedRelease {
  /**
   * Largest encoded release accepted or produced: 32 MiB, room for {@link SignalMechanism#MAX_ROWS} CID rows of
   * 128-character CIDs and {@link SignalMechanism#MAX_CREATOR_ROWS} creator rows with 20-digit values.
   */
  public static final int MAX_WIRE_BYTES = 32 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxDocumentLength(MAX_WIRE_BYTES).maxNestingDepth(8).maxNumberLength(40).maxStringLength(4096).build())
      .build());
  private static final Set<String> ENVELOPE_KEYS = Set.of("release", "signature");
  private static final Set<String> RELEASE_KEYS = Set.of("cids", "creators", "epoch", "epoch_seconds", "mechanism",
      "node_key", "tree_levels", "version", "window_start");
  private static final Set<String> UNIT_KEYS = Set.of("count_scale", "delta", "epsilon", "max_drops",
      "max_keys_per_payer", "nodes", "rows", "sum_scale", "threshold");
  private static final Set<String> ROW_KEYS = Set.of("cid", "noisy_payers", "noisy_sum");
  private static final Set<String> CREATOR_ROW_KEYS = Set.of("creator", "noisy_payers", "noisy_sum");

  private final SignalRelease release;
  private final byte[] signature;

  SignedRelease(SignalRelease release, byte[] signature) {
    this.release = release;
    this.signature = signature.clone();
  }

  public SignalRelease release() {
    return release;
  }

  public byte[] signature() {
    return signature.clone();
  }

  /** True when the signature is the release's node key's over its canonical bytes. */
  public boolean verifies() {
    return RecordVerifier.verifies(release.nodeKeyBytes(), release.signingBytes(), signature);
  }

  /** The canonical JSON envelope (also the HTTP response body). */
  public String json() {
    return "{\"release\":" + release.canonicalJson() + ",\"signature\":\"" + HexFormat.of().formatHex(signature)
        + "\"}";
  }

  /** Wire bytes: UTF-8 of {@link #json()}. */
  public byte[] encode() {
    byte[] out = json().getBytes(StandardCharsets.UTF_8);
    if (out.length > MAX_WIRE_BYTES) {
      throw new IllegalStateException("release encodes to " + out.length + " bytes, over " + MAX_WIRE_BYTES);
    }
    return out;
  }

  /** Parses, checks canonical form and verifies the signature; any failure says what is wrong. */
  public static SignedRelease decode(byte[] wire) throws InvalidReleaseException {
    if (wire == null || wire.length == 0) {
      throw new InvalidReleaseException("empty release");
    }
    if (wire.length > MAX_WIRE_BYTES) {
      throw new InvalidReleaseException("release is " + wire.length + " bytes, over the limit of " + MAX_WIRE_BYTES);
    }
    JsonNode root;
    try {
      root = JSON.readTree(wire);
    } catch (IOException e) {
      throw new InvalidReleaseException("release is not valid JSON: " + e.getMessage(), e);
    }
    SignedRelease sr;
    try {
      keys(root, ENVELOPE_KEYS, "envelope");
      JsonNode r = root.get("release");
      keys(r, RELEASE_KEYS, "release");
      if (integer(r, "version") != SignalRelease.VERSION) {
        throw new InvalidReleaseException("unsupported release version " + r.get("version"));
      }
      List<SignalRow> rows = new ArrayList<>();
      for (JsonNode row : rows(r, "cids", ROW_KEYS)) {
        rows.add(new SignalRow(text(row, "cid"), integer(row, "noisy_payers"), integer(row, "noisy_sum")));
      }
      List<CreatorRow> creatorRows = new ArrayList<>();
      for (JsonNode row : rows(r, "creators", CREATOR_ROW_KEYS)) {
        creatorRows.add(new CreatorRow(text(row, "creator"), integer(row, "noisy_payers"), integer(row, "noisy_sum")));
      }
      SignalRelease release = new SignalRelease(text(r, "node_key"), integer(r, "epoch"), integer(r, "epoch_seconds"),
          mechanism(text(r, "mechanism")), Math.toIntExact(integer(r, "tree_levels")), integer(r, "window_start"),
          unit(r.get("cids")), rows, unit(r.get("creators")), creatorRows);
      String sig = text(root, "signature");
      if (!sig.matches("[0-9a-f]{128}")) {
        throw new InvalidReleaseException("signature must be 128 lowercase hex characters");
      }
      sr = new SignedRelease(release, HexFormat.of().parseHex(sig));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new InvalidReleaseException("malformed release: " + e.getMessage(), e);
    }
    if (!Arrays.equals(sr.json().getBytes(StandardCharsets.UTF_8), wire)) {
      throw new InvalidReleaseException("release is not in canonical form");
    }
    if (!sr.verifies()) {
      throw new InvalidReleaseException("release signature does not verify against its node_key "
          + sr.release.nodeKey());
    }
    sr.release.checkConsistent();
    return sr;
  }

  private static JsonNode rows(JsonNode release, String unit, Set<String> rowKeys) throws InvalidReleaseException {
    keys(release.get(unit), UNIT_KEYS, unit);
    JsonNode rows = release.get(unit).get("rows");
    if (!rows.isArray()) {
      throw new InvalidReleaseException(unit + ".rows must be an array");
    }
    for (JsonNode row : rows) {
      keys(row, rowKeys, unit + " row");
    }
    return rows;
  }

  private static UnitParameters unit(JsonNode u) throws InvalidReleaseException {
    return new UnitParameters(new BigDecimal(text(u, "epsilon")), new BigDecimal(text(u, "delta")),
        Math.toIntExact(integer(u, "max_keys_per_payer")), integer(u, "max_drops"), integer(u, "threshold"),
        text(u, "count_scale"), text(u, "sum_scale"), Math.toIntExact(integer(u, "nodes")));
  }

  private static Mechanism mechanism(String name) throws InvalidReleaseException {
    try {
      return Mechanism.parse(name);
    } catch (InvalidPrivacyConfigException e) {
      throw new InvalidReleaseException("unknown mechanism \"" + name + "\"");
    }
  }

  private static void keys(JsonNode node, Set<String> expected, String what) throws InvalidReleaseException {
    if (node == null || !node.isObject()) {
      throw new InvalidReleaseException(what + " must be a JSON object");
    }
    Set<String> got = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      got.add(it.next());
    }
    if (!got.equals(new TreeSet<>(expected))) {
      throw new InvalidReleaseException(what + " must have exactly the fields " + new TreeSet<>(expected)
          + " (got " + got + ")");
    }
  }

  private static String text(JsonNode node, String field) throws InvalidReleaseException {
    JsonNode v = node.get(field);
    if (!v.isTextual()) {
      throw new InvalidReleaseException(field + " must be a string");
    }
    return v.textValue();
  }

  private static long integer(JsonNode node, String field) throws InvalidReleaseException {
    JsonNode v = node.get(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new InvalidReleaseException(field + " must be a 64-bit integer");
    }
    return v.longValue();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedRelease s && s.release.equals(release) && Arrays.equals(s.signature, signature);
  }

  @Override
  public int hashCode() {
    return release.hashCode() * 31 + Arrays.hashCode(signature);
  }
}
