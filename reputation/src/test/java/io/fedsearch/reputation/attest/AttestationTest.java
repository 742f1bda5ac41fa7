package io.fedsearch.reputation.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.reputation.TestKeys;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AttestationTest {
  private final RecordSigner signer = TestKeys.signer();
  private final AttestationIssuer issuer = new AttestationIssuer(signer);

  @Test
  void signsAndAnyoneVerifies() {
    Attestation a = issuer.issue("Debian Games Team", 42, 61.237, 55.001, 66.999);
    assertThat(a.scoreCenti()).isEqualTo(6124);
    assertThat(a.lowCenti()).isEqualTo(5500);
    assertThat(a.highCenti()).isEqualTo(6700);
    assertThat(AttestationVerifier.verifies(a)).isTrue();
    AttestationVerifier.Result r = AttestationVerifier.verify(a.toJson());
    assertThat(r.valid()).as(r.reason()).isTrue();
    assertThat(r.attestation().creator()).isEqualTo("Debian Games Team");
    assertThat(r.attestation().issuer().bytes()).isEqualTo(signer.publicKey());
  }

  @Test
  void canonicalBytesAreFixed() {
    Attestation a = issuer.issue("é", 7, 1, 0, 2);
    byte[] bytes = a.canonicalBytes();
    // domain (36) + u32 len + 2 UTF-8 bytes + i64 + 3 × u16 + 32-byte key
    assertThat(bytes).hasSize(36 + 4 + 2 + 8 + 6 + 32);
    assertThat(new String(bytes, 0, 35, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("fedsearch/reputation-attestation/v1");
    // reformatted JSON (other field order, spaces, trailing zeros) still verifies
    String json = a.toJson();
    ObjectNode o = (ObjectNode) read(json);
    String reordered = "{ \"signature\": \"" + o.get("signature").asText() + "\", \"issuer\": \""
        + o.get("issuer").asText() + "\", \"high\": 2.00, \"low\": 0, \"score\": 1.0, \"epoch\": 7,"
        + " \"creator\": \"\\u00e9\", \"version\": 1 }";
    assertThat(AttestationVerifier.verify(reordered).valid()).isTrue();
  }

  @Test
  void everyTamperedFieldFailsVerification() {
    String json = issuer.issue("alice", 9, 50, 40, 60).toJson();
    assertThat(tamper(json, "creator", "mallory")).isFalse();
    assertThat(tamper(json, "epoch", 10)).isFalse();
    assertThat(tamper(json, "score", 51)).isFalse();
    assertThat(tamper(json, "low", 39.99)).isFalse();
    assertThat(tamper(json, "high", 60.01)).isFalse();
    assertThat(tamper(json, "issuer", new AttestationIssuer(TestKeys.signer()).issuer().hex())).isFalse();
    ObjectNode o = (ObjectNode) read(json);
    byte[] sig = Base64.getUrlDecoder().decode(o.get("signature").asText());
    sig[10] ^= 1;
    o.put("signature", Base64.getUrlEncoder().withoutPadding().encodeToString(sig));
    AttestationVerifier.Result r = AttestationVerifier.verify(o.toString());
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).contains("does not verify");
  }

  @Test
  void badInputIsNamed() {
    String json = issuer.issue("alice", 9, 50, 40, 60).toJson();
    assertThat(AttestationVerifier.verify("not json").reason()).contains("not valid JSON");
    assertThat(AttestationVerifier.verify("[]").reason()).contains("JSON object");
    ObjectNode extra = (ObjectNode) read(json);
    extra.put("bonus", 1);
    assertThat(AttestationVerifier.verify(extra.toString()).reason()).contains("unknown field 'bonus'");
    ObjectNode precise = (ObjectNode) read(json);
    precise.put("score", 50.001);
    assertThat(AttestationVerifier.verify(precise.toString()).reason()).contains("more than two decimals");
    ObjectNode big = (ObjectNode) read(json);
    big.put("score", 100.5);
    assertThat(AttestationVerifier.verify(big.toString()).reason()).contains("[0, 100]");
    assertThat(AttestationVerifier.verify("x".repeat(10_000)).reason()).contains("larger than");
    ObjectNode order = (ObjectNode) read(json);
    order.put("low", 55);
    assertThat(AttestationVerifier.verify(order.toString()).reason()).contains("low <= score <= high");
    assertThatThrownBy(() -> issuer.issue("alice", 1, Double.NaN, 0, 1)).hasMessageContaining("finite");
  }

  private static boolean tamper(String json, String field, Object value) {
    ObjectNode o = (ObjectNode) read(json);
    if (value instanceof String s) {
      o.put(field, s);
    } else if (value instanceof Integer i) {
      o.put(field, i);
    } else {
      o.put(field, new java.math.BigDecimal(value.toString()));
    }
    return AttestationVerifier.verify(o.toString()).valid();
  }

  private static com.fasterxml.jackson.databind.JsonNode read(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
