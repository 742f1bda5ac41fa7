package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.web.node.NodeDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/** node account / channels / payouts / outbox commands over a node directory with one paid channel. */
@Timeout(120)
class PaymentsCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void listsWalletChannelsPayoutsAndOutbox(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("n");
    NodeDirectory node = NodeDirectory.init(dir, "npm");
    UserChannel ch;
    try (Payments p = Payments.open(dir, node.key(), PaymentsConfig.defaults(), PayoutTransport.unavailable(),
        Clock.systemUTC())) {
      ch = UserChannel.open(XrplAccountKey.generate(KeyType.ED25519), p.account().address().value(), 5_000_000,
          86_400, Optional.empty(), 1, 12);
      p.payee().learnChannel(ch.createBlob(), null);
      p.payee().accept(ch.pay(1_234));
      p.settlement().run(true);
    }
    JsonNode wallet = JSON.readTree(run("node", "account", "--dir", dir.toString(), "--json").out());
    assertThat(wallet.get("address").asText()).startsWith("r");
    assertThat(wallet.get("key_type").asText()).isEqualTo("ed25519");

    CliRun channels = run("channels", "list", "--dir", dir.toString(), "--json");
    assertThat(channels.exit()).isZero();
    JsonNode c = JSON.readTree(channels.out()).get(0);
    assertThat(c.get("id").asText()).isEqualTo(ch.id());
    assertThat(c.get("role").asText()).isEqualTo("payee");
    assertThat(c.get("used").asLong()).isEqualTo(1_234);
    assertThat(c.get("warnings").toString()).contains("unconfirmed on ledger");

    JsonNode outbox = JSON.readTree(run("outbox", "list", "--dir", dir.toString(), "--json").out());
    assertThat(outbox.get(0).get("kind").asText()).isEqualTo("claim");
    assertThat(outbox.get(0).get("hash").asText()).hasSize(64);
    assertThat(outbox.get(0).get("status").asText()).isEqualTo("pending");
    assertThat(run("outbox", "list", "--dir", dir.toString()).out()).contains("no rippled URL configured");

    CliRun submit = run("outbox", "submit", "--dir", dir.toString());
    assertThat(submit.exit()).isEqualTo(1);
    assertThat(submit.err()).contains("no rippled URL configured").contains("1 transaction(s) wait");

    JsonNode payouts = JSON.readTree(run("payouts", "list", "--dir", dir.toString(), "--json").out());
    assertThat(payouts.get("owed").size()).isZero();
    assertThat(run("channels", "list", "--dir", tmp.resolve("nope").toString()).err())
        .contains("is not a node directory");
  }
}
