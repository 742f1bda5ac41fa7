package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.federation.payments.userwallet.HubPurchases;
import io.fedsearch.web.hub.WalletBuyer;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Buying a listing of the very node one is on, with the user's own wallet through that node as hub: the node sells
 * it itself over the user's channel (it once answered 502 "cannot dial ourselves", then the hub refused it as
 * {@code own_listing}). The wallet is shown no hub fee for it, though this hub charges one on other platforms'.
 */
@Timeout(60)
class BuyOwnListingTest {
  @TempDir
  Path dir;

  @Test
  void aNodesOwnListingIsBoughtThroughItsHubWithTheUsersWallet() throws Exception {
    NodeDirectory d = NodeDirectory.init(dir.resolve("npm"), "npm");
    d.putSettings("hub", Map.of("enabled", true, "fee_drops", 1000, "fee_bps", 100));
    try (RunningNode node = RunningNode.start(d, new RunningNode.Options(0, List.of(), null));
        NodeServer server = NodeServer.start(node, "127.0.0.1", 0, 1 << 20);
        TestHttp http = new TestHttp("http://127.0.0.1:" + server.port());
        WalletBuyer user = WalletBuyer.open(dir.resolve("wallet"), http.base(), 10_000_000)) {
      node.local().importLines(new BufferedReader(new StringReader(
          "{\"id\":\"semver\",\"title\":\"semver\",\"description\":\"version parser\",\"price\":1500}\n")), "t",
          (l, b) -> {});
      JsonNode host = http.get("/api/search?q=semver").json().at("/hits/0/hosts/0");
      assertThat(host.get("node").asText()).isEqualTo(node.host().peerId().toString());
      HubPurchases.Outcome o = user.buy(host);
      Receipt receipt = WalletBuyer.receipt(o);
      assertThat(receipt.cid().toString()).isEqualTo(host.get("cid").asText());
      assertThat(receipt.price()).isEqualTo(1500);
      assertThat(receipt.platform()).isEqualTo(node.local().key().publicKey());
      assertThat(o.answer().at("/hub_ack/cost").asLong()).as("no hub fee on the node's own listing").isEqualTo(1500);
      assertThat(user.wallet().state().consumed).isEqualTo(1500);
    }
  }
}
