package io.fedsearch.web.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.web.node.NodeConfig;
import io.fedsearch.web.node.NodeDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/** Opens a node directory's payments for the payment commands, and prints their JSON. */
public final class PaymentsCli {
  static final ObjectMapper JSON = new ObjectMapper();

  private PaymentsCli() {}

  /** The payments settings of a node directory ({@link NodeConfig}), with the rippled URL overridden if given. */
  static PaymentsConfig config(Path dir, String rippledOverride) {
    PaymentsConfig cfg = NodeConfig.load(dir).payments();
    return rippledOverride == null ? cfg : cfg.withRippledUrl(rippledOverride);
  }

  /** Opens the payments of an initialised node directory (no network: payouts run inside the node). */
  static Payments open(Path dir, String rippledOverride) throws IOException {
    NodeDirectory node = NodeDirectory.open(dir);
    return Payments.open(dir, node.key(), config(dir, rippledOverride), PayoutTransport.unavailable(),
        Clock.systemUTC());
  }

  static void printJson(Object value) throws IOException {
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
  }
}
