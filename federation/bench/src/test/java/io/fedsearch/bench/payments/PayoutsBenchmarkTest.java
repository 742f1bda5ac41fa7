package io.fedsearch.bench.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.federation.payments.XrplJs;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * {@code bench payouts} on a small workload: its figures are consistent with one another, and everything it exports
 * (every claim and ledger transaction) verifies with xrpl.js.
 */
class PayoutsBenchmarkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void smallWorkloadReportsConsistentFiguresAndExportsWhatXrplJsVerifies(@TempDir Path dir) throws Exception {
    StringWriter export = new StringWriter();
    Map<String, Object> f = new PayoutsBenchmark(new PayoutsBenchmark.Options(3, 40, 400, 800, 200, 1.0, 2, 200, 24,
        7, dir, KeyType.ED25519)).run(export);

    assertThat(((Number) f.get("rejected")).longValue()).isZero();
    long payments = ((Number) f.get("payments")).longValue();
    long ledgerTxs = ((Number) f.get("ledger_txs")).longValue();
    assertThat(payments).isEqualTo(400 + ((Number) f.get("discovery_fee_payments")).longValue());
    assertThat(((Number) f.get("ledger_txs_naive")).longValue()).isEqualTo(payments);
    assertThat(ledgerTxs).isPositive().isLessThan(payments);
    double reduction = ((Number) f.get("reduction")).doubleValue();
    assertThat(reduction).isCloseTo(1 - (double) ledgerTxs / payments, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(reduction).as("no workload beats two transactions per channel")
        .isLessThanOrEqualTo(((Number) f.get("reduction_bound")).doubleValue() + 1e-3);
    assertThat(((Number) f.get("netting_saving")).doubleValue()).isBetween(0.0, 1.0);
    assertThat(((Number) f.get("claims_per_s")).doubleValue()).isPositive();

    List<Map<String, Object>> requests = new ArrayList<>();
    int txs = 0;
    for (String line : export.toString().split("\n")) {
      JsonNode j = JSON.readTree(line);
      if (j.path("kind").asText().equals("claim")) {
        requests.add(XrplJs.claim(j.path("channel").asText(), j.path("amount").asLong(), j.path("signature").asText(),
            j.path("public_key").asText()));
      } else {
        assertThat(j.path("kind").asText()).isEqualTo("tx");
        requests.add(XrplJs.tx(j.path("blob").asText()));
        txs++;
      }
    }
    assertThat(requests).hasSizeGreaterThan(800);
    assertThat(txs).isPositive();
    List<JsonNode> verdicts = XrplJs.run(requests);
    for (int i = 0; i < verdicts.size(); i++) {
      assertThat(verdicts.get(i).path("ok").asBoolean()).as(requests.get(i) + " -> " + verdicts.get(i)).isTrue();
    }
  }
}
