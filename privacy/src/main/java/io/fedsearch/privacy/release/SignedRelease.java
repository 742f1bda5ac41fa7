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
 * /api/signals?epoch=}) and the p2p {@code /fedsearch/signals/1.0.0} protocol. The wire form is the canonical JSON
 * envelope {@code {"release":<canonical release>,"signature":"<128 hex>"}} in UTF-8, at most {@link
 * #MAX_WIRE_BYTES}. {@link #decode} accepts only canonical bytes (it re-encodes and compares) with a valid
 * signature by the release's own {@code node_key}, so a decoded release is always one its node signed.
 */
public final class SignedRelease {
  /** Largest encoded release accepted or produced (16 MiB; {@link SignalMechanism#MAX_ROWS} rows fit well under). */
  public static final int MAX_WIRE_BYTES = 16 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxDocumentLength(MAX_WIRE_BYTES).maxNestingDepth(8).maxNumberLength(40).maxStringLength(4096).build())
      .build());
  private static final Set<String> ENVELOPE_KEYS = Set.of("release", "signature");
  private static final Set<String> RELEASE_KEYS = Set.of("count_scale", "delta", "epoch", "epoch_seconds", "epsilon",
      "max_cids_per_payer", "max_drops_per_cid", "mechanism", "node_key", "rows", "sum_scale", "threshold", "version");
  private static final Set<String> ROW_KEYS = Set.of("cid", "noisy_payers", "noisy_sum");

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
      JsonNode rowsNode = r.get("rows");
      if (!rowsNode.isArray()) {
        throw new InvalidReleaseException("rows must be an array");
      }
      for (JsonNode row : rowsNode) {
        keys(row, ROW_KEYS, "row");
        rows.add(new SignalRow(text(row, "cid"), integer(row, "noisy_payers"), integer(row, "noisy_sum")));
      }
      SignalRelease release = new SignalRelease(text(r, "node_key"), integer(r, "epoch"), integer(r, "epoch_seconds"),
          mechanism(text(r, "mechanism")), new BigDecimal(text(r, "epsilon")), new BigDecimal(text(r, "delta")),
          Math.toIntExact(integer(r, "max_cids_per_payer")), integer(r, "max_drops_per_cid"), integer(r, "threshold"),
          text(r, "count_scale"), text(r, "sum_scale"), rows);
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
    return sr;
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
