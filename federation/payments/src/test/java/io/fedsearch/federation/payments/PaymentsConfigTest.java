package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/** The {@code "payments"} settings of node.json: every known one read, the rest kept, bad ones named. */
class PaymentsConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static PaymentsConfig read(String json) throws Exception {
    return PaymentsConfig.fromJson(JSON.readTree(json));
  }

  @Test
  void readsEveryKnownSettingAndKeepsTheDefaultsOfTheOthers() throws Exception {
    PaymentsConfig d = PaymentsConfig.defaults();
    PaymentsConfig c = read("""
        {"rippled_url": "http://127.0.0.1:5005", "key_type": "secp256k1", "discovery_share_bps": 250,
         "settle_threshold_drops": 7, "settle_period_s": 60, "settle_before_expiry_s": 120, "expiry_margin_s": 30,
         "payout_min_drops": 9, "payout_max_delay_s": 90, "token_max_uses": 3, "min_settle_delay_s": 600,
         "top_up_ceiling_drops": 5000000}""");
    assertThat(c.rippledUrl()).contains("http://127.0.0.1:5005");
    assertThat(c.keyType()).isEqualTo(KeyType.SECP256K1);
    assertThat(c.discoveryShareBps()).isEqualTo(250);
    assertThat(c.settleThreshold()).isEqualTo(7);
    assertThat(c.settlePeriod()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.settleBeforeExpiry()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.expiryMargin()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.payoutMinDrops()).isEqualTo(9);
    assertThat(c.payoutMaxDelay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.tokenMaxUses()).isEqualTo(3);
    assertThat(c.minSettleDelay()).isEqualTo(600);
    assertThat(c.topUpCeilingDrops()).isEqualTo(5_000_000);
    // settings node.json does not expose stay as they were
    assertThat(c.topUpHorizon()).isEqualTo(d.topUpHorizon());
    assertThat(c.payoutChannelDrops()).isEqualTo(d.payoutChannelDrops());
    assertThat(c.implausibleShare()).isEqualTo(d.implausibleShare());
    assertThat(read("{}")).isEqualTo(d);
  }

  @Test
  void readsTheAcceptanceSettings() throws Exception {
    PaymentsConfig c = read("""
        {"provisional_channel_cap_drops": 11, "provisional_payer_cap_drops": 22, "token_max_validity_s": 33,
         "hold_expiry_s": 44, "max_idle_provisional_channels": 55}""");
    assertThat(c.provisionalChannelCapDrops()).isEqualTo(11);
    assertThat(c.provisionalPayerCapDrops()).isEqualTo(22);
    assertThat(c.tokenMaxValidity()).isEqualTo(Duration.ofSeconds(33));
    assertThat(c.holdExpiry()).isEqualTo(Duration.ofSeconds(44));
    assertThat(c.maxIdleProvisionalChannels()).isEqualTo(55);
    assertThatThrownBy(() -> read("{\"provisional_payer_cap_drops\": -1}")).hasMessageContaining("provisional caps");
    assertThatThrownBy(() -> read("{\"hold_expiry_s\": 0}")).hasMessageContaining("hold expiry");
    assertThatThrownBy(() -> read("{\"max_idle_provisional_channels\": 0}")).hasMessageContaining("at least 1");
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> read("{\"top_up_ceiling_drops\": 0}")).hasMessageContaining("top-up ceiling");
    assertThatThrownBy(() -> read("{\"discovery_share_bps\": 20000}")).hasMessageContaining("basis points");
    assertThatThrownBy(() -> read("{\"settle_every\": 1}"))
        .hasMessageContaining("unknown payments setting \"settle_every\"");
    assertThatThrownBy(() -> read("[]")).hasMessageContaining("must be an object");
  }
}
