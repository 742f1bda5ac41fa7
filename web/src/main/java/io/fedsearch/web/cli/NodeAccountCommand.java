package io.fedsearch.web.cli;

import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedsearch node account}: the node's XRPL account (created with the node's payments on first use). It was
 * {@code fedsearch wallet show}; {@code wallet} now means the user's own wallet ({@code web.cli.wallet}).
 */
@Command(name = "account", mixinStandardHelpOptions = true, description = "Show the node's XRPL account.")
final class NodeAccountCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "Node directory.")
  Path dir;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (Payments p = PaymentsCli.open(dir, null)) {
      XrplAccountKey k = p.account();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", k.address().value());
      m.put("key_type", k.keyType().name().toLowerCase(java.util.Locale.ROOT));
      m.put("public_key", k.publicKey().base16Value());
      m.put("key_file", dir.resolve(XrplAccountKey.KEY_FILE).toString());
      m.put("ledger", p.config().rippledUrl().orElse("none (embedded: channels unconfirmed on ledger)"));
      m.put("channels", p.payer().channels().size() + p.payee().channels().size());
      m.put("outbox_open", p.outbox().open().size());
      if (json) {
        PaymentsCli.printJson(m);
      } else {
        m.forEach((key, v) -> System.out.println(key + ": " + v));
      }
    }
    return 0;
  }
}
