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

/** Canonical encoding, signature verification, consistency checks and forgery rejection of releases. */
class SignedReleaseTest {
  private static final long EPOCH = 20513; // 20513 mod 32 = 1: window 20480..20513 = previous root + one node
  private final RecordSigner signer = TestSigners.fresh();
  private final ReleaseConfig config = ReleaseConfig.defaults();

  private UnitParameters unit(Unit u, int nodes) {
    return UnitParameters.of(config.unit(u), Calibration.of(config.unit(u)), nodes);
  }

  private SignalRelease release(RecordSigner s, List<SignalRow> rows, List<CreatorRow> creators) {
    int nodes = EpochTree.nodes(EPOCH, 6);
    return new SignalRelease(HexFormat.of().formatHex(s.publicKey()), EPOCH, 86400, Mechanism.LAPLACE, 6,
        EpochTree.windowStart(EPOCH, 6), unit(Unit.CID, nodes), rows, unit(Unit.CREATOR, nodes), creators);
  }

  private static List<SignalRow> rows() {
    return List.of(new SignalRow("bafyaaa", 130, 2_500_000), new SignalRow("bafybbb", 200, -17));
  }

  private static List<CreatorRow> creators() {
    List<CreatorRow> out = new ArrayList<>(List.of(new CreatorRow(CreatorKey.of("Ada"), 40, 9_000_000),
        new CreatorRow(CreatorKey.of("Debian Perl Group"), 300, 1)));
    out.sort(java.util.Comparator.comparing(CreatorRow::creator));
    return out;
  }

  @Test
  void encodesCanonicallyAndRoundTrips() throws Exception {
    SignedRelease sr = release(signer, rows(), creators()).sign(signer);
    String json = sr.json();
    assertThat(json).startsWith("{\"release\":{\"cids\":{\"count_scale\":\"40/7\",\"delta\":\"0.0000007\","
            + "\"epsilon\":\"0.7\",\"max_drops\":2000000,\"max_keys_per_payer\":2,\"nodes\":2,")
        .contains("\"rows\":[{\"cid\":\"bafyaaa\",\"noisy_payers\":130,\"noisy_sum\":2500000},"
            + "{\"cid\":\"bafybbb\",\"noisy_payers\":200,\"noisy_sum\":-17}]")
        .contains(",\"creators\":{\"count_scale\":\"40/3\",")
        .contains("{\"creator\":\"" + CreatorKey.of("Ada") + "\",\"noisy_payers\":40,\"noisy_sum\":9000000}")
        .endsWith("\"epoch\":20513,\"epoch_seconds\":86400,\"mechanism\":\"laplace\",\"node_key\":\""
            + HexFormat.of().formatHex(signer.publicKey()) + "\",\"tree_levels\":6,\"version\":2,"
            + "\"window_start\":20480},\"signature\":\"" + HexFormat.of().formatHex(sr.signature()) + "\"}")
        .doesNotContain(" ");
    SignedRelease back = SignedRelease.decode(sr.encode());
    assertThat(back).isEqualTo(sr);
    assertThat(back.verifies()).isTrue();
    assertThat(back.release().row("bafybbb")).map(SignalRow::noisyPayers).contains(200L);
    assertThat(back.release().row("bafyzzz")).isEmpty();
    assertThat(back.release().creatorRow(CreatorKey.of("Ada"))).map(CreatorRow::noisyPayers).contains(40L);
    assertThat(back.release().epsilon()).isEqualByComparingTo("1");
    assertThat(release(signer, rows(), creators()).sign(signer).encode()).isEqualTo(sr.encode());
  }

  /**
   * The signature covers a domain tag and the SHA-256 of the canonical JSON: a fixed 61-byte message whatever the
   * release's size. A signer that refuses messages over 1 MiB (as AWS-LC's Ed25519 does) signs a maximal release.
   */
  @Test
  void maximalReleaseSignsAsAFixedSizeDigestAndFitsTheWireLimit() throws Exception {
    RecordSigner capped = RecordSigner.of(m -> {
      if (m.length > (1 << 20)) {
        throw new IllegalArgumentException("Invalid capacity. Limit: 1048576, Requested: " + m.length);
      }
      return signer.sign(m);
    }, signer.publicKey());
    List<SignalRow> many = new ArrayList<>();
    for (int i = 0; i < SignalMechanism.MAX_ROWS; i++) {
      many.add(new SignalRow(String.format("bafkreih%0120d", i), 1_000_000 + i, -999_999_999_999_999L));
    }
    List<CreatorRow> creators = new ArrayList<>();
    for (int i = 0; i < SignalMechanism.MAX_CREATOR_ROWS; i++) {
      creators.add(new CreatorRow(String.format("%064x", i), 1_000_000, 999_999_999_999_999L));
    }
    SignalRelease big = release(capped, many, creators);
    assertThat(big.signingBytes()).hasSize(SignalRelease.SIGNING_DOMAIN.length() + 32);
    SignedRelease sr = big.sign(capped);
    byte[] wire = sr.encode();
    assertThat(wire.length).isGreaterThan(16 << 20).isLessThan(SignedRelease.MAX_WIRE_BYTES);
    SignedRelease back = SignedRelease.decode(wire);
    assertThat(back.release().rows()).hasSize(SignalMechanism.MAX_ROWS);
    assertThat(back.release().creatorRows()).hasSize(SignalMechanism.MAX_CREATOR_ROWS);
  }

  @Test
  void alteredRowIsRejected() {
    byte[] wire = release(signer, rows(), creators()).sign(signer).encode();
    String forged = new String(wire, StandardCharsets.UTF_8).replace("\"noisy_payers\":130", "\"noisy_payers\":930");
    assertThatThrownBy(() -> SignedRelease.decode(forged.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidReleaseException.class)
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void releaseSignedByAnotherKeyUnderThisNodesNameIsRejected() {
    RecordSigner attacker = TestSigners.fresh();
    SignalRelease claimsVictim = release(signer, rows(), creators());
    byte[] sig = attacker.sign(claimsVictim.signingBytes());
    String wire = "{\"release\":" + claimsVictim.canonicalJson() + ",\"signature\":\"" + HexFormat.of().formatHex(sig)
        + "\"}";
    assertThatThrownBy(() -> SignedRelease.decode(wire.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("does not verify");
    assertThatThrownBy(() -> claimsVictim.sign(attacker)).hasMessageContaining("not this release's node_key");
  }

  /** Self-signed but inconsistent: parameters that do not follow from the stated settings, impossible counts. */
  @Test
  void releasesInconsistentWithTheirStatedSettingsAreRejected() {
    int nodes = EpochTree.nodes(EPOCH, 6);
    String key = HexFormat.of().formatHex(signer.publicKey());
    UnitParameters cid = unit(Unit.CID, nodes);
    UnitParameters lowThreshold = new UnitParameters(cid.epsilon(), cid.delta(), cid.maxKeysPerPayer(),
        cid.maxDropsPerKey(), 1, cid.countScale(), cid.sumScale(), nodes);
    UnitParameters noNoise = new UnitParameters(cid.epsilon(), cid.delta(), cid.maxKeysPerPayer(),
        cid.maxDropsPerKey(), cid.threshold(), "1/1000", cid.sumScale(), nodes);
    for (UnitParameters bad : List.of(lowThreshold, noNoise)) {
      SignedRelease sr = new SignalRelease(key, EPOCH, 86400, Mechanism.LAPLACE, 6, EpochTree.windowStart(EPOCH, 6),
          bad, rows(), unit(Unit.CREATOR, nodes), creators()).sign(signer);
      assertThatThrownBy(() -> SignedRelease.decode(sr.encode())).isInstanceOf(InvalidReleaseException.class)
          .hasMessageContaining("do not follow from the stated settings");
    }
    SignedRelease huge = release(signer, List.of(new SignalRow("bafyaaa", 1_000_000_000_000L, 0)), creators())
        .sign(signer);
    assertThatThrownBy(() -> SignedRelease.decode(huge.encode())).isInstanceOf(InvalidReleaseException.class)
        .hasMessageContaining("beyond any count plus noise");
    String json = release(signer, rows(), creators()).sign(signer).json();
    assertThatThrownBy(() -> SignedRelease.decode(json.replace("\"window_start\":20480", "\"window_start\":20000")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("window_start must be 20480");
    // A stated ε that would expand to a huge exact rational is refused before anything computes with it.
    assertThatThrownBy(() -> SignedRelease.decode(json.replace("\"epsilon\":\"0.7\"", "\"epsilon\":\"1e-999999999\"")
        .getBytes(StandardCharsets.UTF_8))).isInstanceOf(InvalidReleaseException.class);
    assertThatThrownBy(() -> SignedRelease.decode(json.replace("\"epsilon\":\"0.7\"", "\"epsilon\":\"1e999999999\"")
        .getBytes(StandardCharsets.UTF_8))).isInstanceOf(InvalidReleaseException.class);
  }

  @Test
  void nonCanonicalOrMalformedBytesAreRejected() {
    String json = release(signer, rows(), creators()).sign(signer).json();
    assertThatThrownBy(() -> SignedRelease.decode(json.replace(",\"signature\"", ", \"signature\"")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not in canonical form");
    assertThatThrownBy(() -> SignedRelease.decode(json.replace("\"epoch\":20513", "\"epoch\":20513.0")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("epoch must be a 64-bit integer");
    assertThatThrownBy(() -> SignedRelease.decode(json.replace("\"version\":2", "\"version\":2,\"extra\":2")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("exactly the fields");
    assertThatThrownBy(() -> SignedRelease.decode(json.replace("\"version\":2", "\"version\":1")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("unsupported release version");
    assertThatThrownBy(() -> SignedRelease.decode("[1,2]".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("envelope must be a JSON object");
    assertThatThrownBy(() -> SignedRelease.decode("{\"release\":".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> SignedRelease.decode(new byte[SignedRelease.MAX_WIRE_BYTES + 1]))
        .hasMessageContaining("over the limit");
    String swapped = json.replace("{\"cid\":\"bafyaaa\",\"noisy_payers\":130,\"noisy_sum\":2500000},"
        + "{\"cid\":\"bafybbb\",\"noisy_payers\":200,\"noisy_sum\":-17}",
        "{\"cid\":\"bafybbb\",\"noisy_payers\":200,\"noisy_sum\":-17},"
        + "{\"cid\":\"bafyaaa\",\"noisy_payers\":130,\"noisy_sum\":2500000}");
    assertThatThrownBy(() -> SignedRelease.decode(swapped.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("sorted by CID");
  }
}
