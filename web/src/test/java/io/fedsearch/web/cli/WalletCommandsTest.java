package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.federation.payments.userwallet.WalletKey;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * The wallet commands that need no hub, in process: restore from a seed on stdin, show with receipt keys, a proof
 * signed with a receipt key, and the
 * refusals a user meets (no wallet, no channel, a node that is not a hub, a second init, a wrong passphrase).
 */
@Timeout(120)
class WalletCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static synchronized CliRun withStdin(String stdin, String... args) {
    InputStream old = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      return CliRun.of(args);
    } finally {
      System.setIn(old);
    }
  }

  @Test
  void restoresShowsAndRefusesWithReasons(@TempDir Path tmp) throws Exception {
    WalletKey key = WalletKey.generate(KeyType.SECP256K1);
    String dir = tmp.resolve("w").toString();
    CliRun restored = withStdin(key.base58Seed() + "\n", "wallet", "init", "--restore", "--dir", dir, "--json");
    assertThat(restored.exit()).as(restored.err()).isZero();
    JsonNode r = JSON.readTree(restored.out());
    assertThat(r.path("address").asText()).isEqualTo(key.address().value());
    assertThat(r.path("key_type").asText()).isEqualTo("secp256k1");
    assertThat(restored.out()).doesNotContain(key.base58Seed());

    CliRun again = CliRun.of("wallet", "init", "--dir", dir);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already exists");

    String platform = "12D3KooWPlatformAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    JsonNode show = JSON.readTree(CliRun.of("wallet", "show", "--dir", dir, "--json", "--receipt-key", platform)
        .out());
    assertThat(show.path("did").asText()).isEqualTo("did:xrpl:1:" + key.address().value());
    assertThat(show.path("channel").isNull()).isTrue();
    assertThat(show.path("receipt_keys").path(platform).asText())
        .isEqualTo(new io.fedsearch.federation.payments.userwallet.ReceiptKeys(key).publicKeyHex(platform));

    CliRun prove = CliRun.of("wallet", "prove", "--platform", platform, "--challenge", "00ff10", "--dir", dir,
        "--json");
    assertThat(prove.exit()).as(prove.err()).isZero();
    JsonNode proof = JSON.readTree(prove.out());
    assertThat(proof.path("receipt_key").asText()).isEqualTo(show.path("receipt_keys").path(platform).asText());
    byte[] sig = java.util.HexFormat.of().parseHex(proof.path("signature").asText());
    assertThat(io.fedsearch.federation.payments.userwallet.ReceiptKeys.verifiesChallenge(
        proof.path("receipt_key").asText(), new byte[] {0, (byte) 0xff, 0x10}, sig)).isTrue();
    assertThat(io.fedsearch.federation.payments.userwallet.ReceiptKeys.verifiesChallenge(
        proof.path("receipt_key").asText(), new byte[] {0, (byte) 0xff, 0x11}, sig)).isFalse();
    assertThat(CliRun.of("wallet", "prove", "--platform", platform, "--challenge", "00".repeat(257), "--dir", dir)
        .exit()).isEqualTo(1);

    CliRun noChannel = CliRun.of("wallet", "buy", "bafyx", "--token", "t", "--platform", platform, "--price", "5",
        "--yes", "--dir", dir);
    assertThat(noChannel.exit()).isEqualTo(1);
    assertThat(noChannel.err()).contains("no channel to a hub yet");
    CliRun noHub = CliRun.of("wallet", "open", "--hub", "http://127.0.0.1:1", "--amount", "1", "--dir", dir);
    assertThat(noHub.exit()).isEqualTo(1);
    CliRun badAmount = CliRun.of("wallet", "fund", "--amount", "0.0000001", "--dir", dir);
    assertThat(badAmount.exit()).isEqualTo(1);

    CliRun missing = CliRun.of("wallet", "show", "--dir", tmp.resolve("none").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("no wallet in").contains("wallet init");

    Path pass = tmp.resolve("pass");
    Files.writeString(pass, "a long enough passphrase");
    Path out = tmp.resolve("export.json");
    assertThat(CliRun.of("wallet", "export", "--out", out.toString(), "--passphrase-file", pass.toString(), "--dir",
        dir).exit()).isZero();
    Files.writeString(pass, "another long passphrase");
    CliRun wrong = CliRun.of("wallet", "import", out.toString(), "--passphrase-file", pass.toString(), "--dir",
        tmp.resolve("w2").toString());
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("wrong passphrase");
    assertThat(tmp.resolve("w2").resolve("keys")).doesNotExist();
  }
}
