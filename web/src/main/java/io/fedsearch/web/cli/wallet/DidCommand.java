package io.fedsearch.web.cli.wallet;

import io.fedsearch.federation.payments.userwallet.ReceiptKeyDocument;
import io.fedsearch.federation.payments.userwallet.UserWallet;
import io.fedsearch.federation.payments.userwallet.WalletState;
import io.fedsearch.federation.payments.userwallet.WalletTransactions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wallet did --publish PLATFORM…}: signs an XRPL DIDSet whose document lists the receipt keys of the named
 * platforms. Publishing links those platforms' receipts to this account: only the platforms named are published.
 */
@Command(name = "did", mixinStandardHelpOptions = true,
    description = "Publish an XRPL DID listing the receipt keys of the platforms you name (this links them).")
final class DidCommand implements Callable<Integer> {
  @Mixin WalletOptions options;

  @Option(names = "--publish", required = true, paramLabel = "PLATFORM",
      description = "Platform peer id whose receipt key to publish (repeatable, at most three).")
  List<String> platforms;

  @Option(names = "--ledger", paramLabel = "URL", description = "rippled JSON-RPC URL: submit and await validation.")
  String ledger;

  @Override
  public Integer call() throws Exception {
    try (UserWallet w = options.open()) {
      ReceiptKeyDocument doc = ReceiptKeyDocument.forPlatforms(w.receiptKeys(), platforms);
      WalletState.TxRecord tx = new WalletTransactions(w, WalletOptions.ledger(ledger), Duration.ofMinutes(2))
          .did(doc);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("did", "did:xrpl:1:" + w.key().address().value());
      m.put("document", doc.json());
      m.put("hash", tx.hash);
      m.put("blob", tx.blob);
      m.put("status", tx.status);
      options.print(m);
    }
    return 0;
  }
}
