package io.fedsearch.web.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.core.keys.NodeKey;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node configuration: node.json and environment overrides, every key checked and named when wrong. */
class NodeConfigTest {
  @TempDir
  Path dir;

  private NodeConfig load(String json, Map<String, String> env) throws Exception {
    Files.writeString(dir.resolve(NodeDirectory.CONFIG), json);
    return NodeConfig.load(dir, env);
  }

  @Test
  void everySectionIsReadIncludingReputation() throws Exception {
    String pre = NodeKey.fromSeed(new byte[32]).publicKey().hex();
    NodeConfig c = load("""
        {"platform": "npm", "created": "2026-01-01T00:00:00Z",
         "payments": {"settle_period_s": 120, "rippled_url": "http://127.0.0.1:5005"},
         "privacy": {"epsilon": "2", "epoch_seconds": 600, "max_cids_per_payer": 3},
         "reputation": {"half_life_epochs": 12, "pretrusted": ["%s"]}}
        """.formatted(pre), Map.of());
    assertThat(c.platform()).isEqualTo("npm");
    assertThat(c.payments().settlePeriod()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.payments().rippledUrl()).contains("http://127.0.0.1:5005");
    assertThat(c.privacy().epsilon()).isEqualByComparingTo(new BigDecimal("2"));
    assertThat(c.privacy().epochLength()).isEqualTo(Duration.ofSeconds(600));
    assertThat(c.reputation().halfLifeEpochs()).isEqualTo(12.0);
    assertThat(c.reputation().pretrusted()).extracting(k -> k.hex()).containsExactly(pre);
    // reputation discounts repeat buys by the release's own per-payer bound unless told otherwise
    assertThat(c.reputation().maxCidsPerPayer()).isEqualTo(3);
  }

  @Test
  void environmentVariablesOverrideTheFileKeyByKey() throws Exception {
    NodeConfig c = load("{\"platform\": \"npm\", \"payments\": {\"settle_period_s\": 120}}",
        Map.of("FEDSEARCH__PAYMENTS__SETTLE_PERIOD_S", "30", "FEDSEARCH__PRIVACY__EPSILON", "0.5",
            "PATH", "/usr/bin"));
    assertThat(c.payments().settlePeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.privacy().epsilon()).isEqualByComparingTo(new BigDecimal("0.5"));
  }

  @Test
  void nodeDirectoriesOfTheEarlierFormStillRead() throws Exception {
    NodeConfig c = load("{\"platform\": \"npm\", \"privacy\": {\"privacy.epsilon\": \"4\","
        + " \"privacy.epoch-seconds\": \"180\"}}", Map.of());
    assertThat(c.privacy().epsilon()).isEqualByComparingTo(new BigDecimal("4"));
    assertThat(c.privacy().epochLength()).isEqualTo(Duration.ofSeconds(180));
  }

  @Test
  void wrongSettingsFailTheStartNamingTheirKey() throws Exception {
    assertThatThrownBy(() -> load("{\"platform\": \"npm\", \"payments\": {\"settle_period\": 5}}", Map.of()))
        .isInstanceOf(InvalidNodeConfigException.class).hasMessageStartingWith("payments.settle_period: unknown");
    assertThatThrownBy(() -> load("{\"platform\": \"npm\", \"payments\": {\"settle_period_s\": \"soon\"}}", Map.of()))
        .hasMessageStartingWith("payments.settle_period_s: must be a whole number");
    assertThatThrownBy(() -> load("{\"platform\": \"npm\", \"privacy\": {\"epsilon\": \"-1\"}}", Map.of()))
        .isInstanceOf(InvalidNodeConfigException.class).hasMessageStartingWith("privacy.epsilon:");
    assertThatThrownBy(() -> load("{\"platform\": \"npm\", \"reputation\": {\"peak_epochs\": 0}}", Map.of()))
        .isInstanceOf(InvalidNodeConfigException.class).hasMessageStartingWith("reputation:")
        .hasMessageContaining("peakEpochs");
    assertThatThrownBy(() -> load("{\"platform\": \"npm\", \"reputation\": {\"pretrusted\": [\"beef\"]}}", Map.of()))
        .isInstanceOf(InvalidNodeConfigException.class).hasMessageStartingWith("reputation:");
    assertThatThrownBy(() -> load("{\"platform\": \"npm\", \"payment\": {}}", Map.of()))
        .isInstanceOf(InvalidNodeConfigException.class).hasMessageStartingWith("payment: unknown setting");
    assertThatThrownBy(() -> load("{\"platform\": \"npm\"}",
        Map.of("FEDSEARCH__PAYMENTS__DISCOVERY_SHARE_BPS", "20000")))
        .isInstanceOf(InvalidNodeConfigException.class).hasMessageStartingWith("payments:")
        .hasMessageContaining("basis points");
  }
}
