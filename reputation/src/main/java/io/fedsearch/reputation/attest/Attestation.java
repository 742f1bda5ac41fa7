package io.fedsearch.reputation.attest;

import io.fedsearch.core.sign.SigningDomain;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.ReputationLimits;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;

/**
 * A platform's signed statement "creator C had score S with interval [lo, hi] at epoch E".
 *
 * <p>Scores travel in hundredths (integers 0..10000), so the signed bytes never depend on floating-point
 * formatting. The signed message is {@link #canonicalBytes()}:
 * <pre>
 *   "fedsearch/reputation-attestation/v1\n"   (the tag of {@link SigningDomain#REPUTATION_ATTESTATION}), then
 *   u32 length ‖ creator UTF-8 ‖ i64 epoch ‖ u16 score ‖ u16 low ‖ u16 high ‖ 32-byte issuer key   (big-endian)
 * </pre>
 * The wire form is JSON: {@code {"version":1,"creator":…,"epoch":…,"score":12.34,"low":…,"high":…,
 * "issuer":"<hex>","signature":"<base64url>"}}; the verifier rebuilds the canonical bytes from the fields and
 * checks the Ed25519 signature with the issuer key, so any JSON formatting verifies as long as the values match.
 */
public record Attestation(
    String creator, long epoch, int scoreCenti, int lowCenti, int highCenti, NodePublicKey issuer, byte[] signature) {
  private static final Set<String> FIELDS =
      Set.of("version", "creator", "epoch", "score", "low", "high", "issuer", "signature");

  public Attestation {
    if (creator == null || creator.isBlank() || creator.length() > ReputationLimits.CREATOR_CHARS) {
      throw new IllegalArgumentException("attestation: creator must be 1.." + ReputationLimits.CREATOR_CHARS
          + " non-blank chars");
    }
    if (epoch < 0 || epoch > ReputationLimits.MAX_EPOCH) {
      throw new IllegalArgumentException("attestation: epoch out of range: " + epoch);
    }
    centi("score", scoreCenti);
    centi("low", lowCenti);
    centi("high", highCenti);
    if (lowCenti > scoreCenti || scoreCenti > highCenti) {
      throw new IllegalArgumentException("attestation: need low <= score <= high, got " + lowCenti + " <= "
          + scoreCenti + " <= " + highCenti + " (hundredths)");
    }
    if (issuer == null) {
      throw new IllegalArgumentException("attestation: issuer is required");
    }
    if (signature == null || signature.length != 64) {
      throw new IllegalArgumentException("attestation: signature must be 64 bytes");
    }
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public double score() {
    return scoreCenti / 100.0;
  }

  public double low() {
    return lowCenti / 100.0;
  }

  public double high() {
    return highCenti / 100.0;
  }

  /** The bytes the issuer signs. */
  public byte[] canonicalBytes() {
    return canonicalBytes(creator, epoch, scoreCenti, lowCenti, highCenti, issuer);
  }

  static byte[] canonicalBytes(String creator, long epoch, int score, int low, int high, NodePublicKey issuer) {
    byte[] name = creator.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(4 + name.length + 8 + 6 + NodePublicKey.LENGTH);
    b.putInt(name.length).put(name).putLong(epoch)
        .putShort((short) score).putShort((short) low).putShort((short) high).put(issuer.bytes());
    return SigningDomain.REPUTATION_ATTESTATION.message(b.array());
  }

  /** The JSON wire form. */
  public String toJson() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("version", 1);
    o.put("creator", creator);
    o.put("epoch", epoch);
    o.put("score", BigDecimal.valueOf(scoreCenti, 2));
    o.put("low", BigDecimal.valueOf(lowCenti, 2));
    o.put("high", BigDecimal.valueOf(highCenti, 2));
    o.put("issuer", issuer.hex());
    o.put("signature", Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
    return o.toString();
  }

  /**
   * Parses the JSON wire form strictly (known fields only, exact hundredths); does not check the signature.
   *
   * @throws IllegalArgumentException naming the first thing wrong
   */
  public static Attestation parse(String json) {
    if (json == null) {
      throw new IllegalArgumentException("attestation: empty input");
    }
    if (json.length() > ReputationLimits.ATTESTATION_BYTES) {
      throw new IllegalArgumentException("attestation: larger than " + ReputationLimits.ATTESTATION_BYTES
          + " bytes");
    }
    JsonNode o;
    try {
      o = new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("attestation: not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("attestation: must be a JSON object");
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException("attestation: unknown field '" + f + "'");
      }
    }
    JsonNode version = o.get("version");
    if (version == null || !version.isIntegralNumber() || version.asInt() != 1) {
      throw new IllegalArgumentException("attestation: 'version' must be 1");
    }
    String creator = text(o, "creator");
    JsonNode epoch = o.get("epoch");
    if (epoch == null || !epoch.isIntegralNumber() || !epoch.canConvertToLong()) {
      throw new IllegalArgumentException("attestation: 'epoch' must be an integer");
    }
    NodePublicKey issuer;
    try {
      issuer = NodePublicKey.fromHex(text(o, "issuer"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("attestation: 'issuer': " + e.getMessage(), e);
    }
    byte[] sig;
    try {
      sig = Base64.getUrlDecoder().decode(text(o, "signature"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("attestation: 'signature' is not base64url", e);
    }
    if (sig.length != 64) {
      throw new IllegalArgumentException("attestation: 'signature' must decode to 64 bytes, got " + sig.length);
    }
    return new Attestation(creator, epoch.asLong(), hundredths(o, "score"), hundredths(o, "low"),
        hundredths(o, "high"), issuer, sig);
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException("attestation: '" + field + "' must be a string");
    }
    return n.asText();
  }

  private static int hundredths(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isNumber()) {
      throw new IllegalArgumentException("attestation: '" + field + "' must be a number");
    }
    BigDecimal v = n.decimalValue().stripTrailingZeros();
    if (v.scale() > 2) {
      throw new IllegalArgumentException("attestation: '" + field + "' has more than two decimals: " + v);
    }
    BigDecimal centi = v.movePointRight(2);
    if (centi.compareTo(BigDecimal.ZERO) < 0 || centi.compareTo(BigDecimal.valueOf(10_000)) > 0) {
      throw new IllegalArgumentException("attestation: '" + field + "' must be in [0, 100], got " + v);
    }
    return centi.intValueExact();
  }

  private static void centi(String what, int v) {
    if (v < 0 || v > 10_000) {
      throw new IllegalArgumentException("attestation: " + what + " must be in [0, 10000] hundredths, got " + v);
    }
  }
}
