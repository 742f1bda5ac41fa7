package io.fedsearch.privacy.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.privacy.TestSigners;
import io.fedsearch.privacy.signing.RecordSigner;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canonical encoding, signature verification and forgery rejection of releases. */
class SignedReleaseTest {
  private final RecordSigner signer = TestSigners.fresh();

  private SignalRelease release(RecordSigner s, List<SignalRow> rows) {
    return new SignalRelease(HexFormat.of().formatHex(s.publicKey()), 20513, 86400, Mechanism.LAPLACE,
        new BigDecimal("1.0"), new BigDecimal("0.0000010"), 4, 2_000_000, 123, "8", "16000000", rows);
  }

  private static List<SignalRow> rows() {
    return List.of(new SignalRow("bafyaaa", 130, 2_500_000), new SignalRow("bafybbb", 200, -17));
  }

  @Test
  void encodesCanonicallyAndRoundTrips() throws Exception {
    SignedRelease sr = release(signer, rows()).sign(signer);
    String json = sr.json();
    assertThat(json).startsWith("{\"release\":{\"count_scale\":\"8\",\"delta\":\"0.000001\",\"epoch\":20513,")
        .contains("\"epsilon\":\"1\"")
        .contains("\"rows\":[{\"cid\":\"bafyaaa\",\"noisy_payers\":130,\"noisy_sum\":2500000},"
            + "{\"cid\":\"bafybbb\",\"noisy_payers\":200,\"noisy_sum\":-17}]")
        .endsWith("\"threshold\":123,\"version\":1},\"signature\":\"" + HexFormat.of().formatHex(sr.signature()) + "\"}")
        .doesNotContain(" ");
    SignedRelease back = SignedRelease.decode(sr.encode());
    assertThat(back).isEqualTo(sr);
    assertThat(back.verifies()).isTrue();
    assertThat(back.release().row("bafybbb")).map(SignalRow::noisyPayers).contains(200L);
    assertThat(back.release().row("bafyzzz")).isEmpty();
    // The same content signed again encodes identically apart from the (deterministic Ed25519) signature.
    assertThat(release(signer, rows()).sign(signer).encode()).isEqualTo(sr.encode());
  }

  @Test
  void alteredRowIsRejected() {
    byte[] wire = release(signer, rows()).sign(signer).encode();
    String forged = new String(wire, StandardCharsets.UTF_8).replace("\"noisy_payers\":130", "\"noisy_payers\":930");
    assertThatThrownBy(() -> SignedRelease.decode(forged.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidReleaseException.class)
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void releaseSignedByAnotherKeyUnderThisNodesNameIsRejected() {
    RecordSigner attacker = TestSigners.fresh();
    SignalRelease claimsVictim = release(signer, rows());
    byte[] sig = attacker.sign(claimsVictim.signingBytes());
    String wire = "{\"release\":" + claimsVictim.canonicalJson() + ",\"signature\":\"" + HexFormat.of().formatHex(sig)
        + "\"}";
    assertThatThrownBy(() -> SignedRelease.decode(wire.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("does not verify");
    assertThatThrownBy(() -> claimsVictim.sign(attacker)).hasMessageContaining("not this release's node_key");
  }

  @Test
  void nonCanonicalOrMalformedBytesAreRejected() {
    String json = release(signer, rows()).sign(signer).json();
    assertThatThrownBy(() -> SignedRelease.decode(json.replace(",\"signature\"", ", \"signature\"").getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not in canonical form");
    assertThatThrownBy(() -> SignedRelease.decode(json.replace("\"epoch\":20513", "\"epoch\":20513.0").getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("epoch must be a 64-bit integer");
    assertThatThrownBy(() -> SignedRelease.decode(json.replace("\"version\":1", "\"version\":1,\"extra\":2").getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("exactly the fields");
    assertThatThrownBy(() -> SignedRelease.decode("[1,2]".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("envelope must be a JSON object");
    assertThatThrownBy(() -> SignedRelease.decode("{\"release\":".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> SignedRelease.decode(new byte[SignedRelease.MAX_WIRE_BYTES + 1]))
        .hasMessageContaining("over the limit");
    // Rows out of order would be a second encoding of the same release.
    String swapped = json.replace("{\"cid\":\"bafyaaa\",\"noisy_payers\":130,\"noisy_sum\":2500000},"
        + "{\"cid\":\"bafybbb\",\"noisy_payers\":200,\"noisy_sum\":-17}",
        "{\"cid\":\"bafybbb\",\"noisy_payers\":200,\"noisy_sum\":-17},"
        + "{\"cid\":\"bafyaaa\",\"noisy_payers\":130,\"noisy_sum\":2500000}");
    assertThatThrownBy(() -> SignedRelease.decode(swapped.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("sorted by CID");
  }

  @Test
  void maximalReleaseFitsTheWireLimit() throws Exception {
    List<SignalRow> many = new ArrayList<>();
    for (int i = 0; i < SignalMechanism.MAX_ROWS; i++) {
      many.add(new SignalRow(String.format("bafkreih%052d", i), Long.MAX_VALUE, Long.MIN_VALUE));
    }
    SignedRelease sr = release(signer, many).sign(signer);
    byte[] wire = sr.encode();
    assertThat(wire.length).isLessThan(SignedRelease.MAX_WIRE_BYTES);
    assertThat(SignedRelease.decode(wire).release().rows()).hasSize(SignalMechanism.MAX_ROWS);
  }
}
