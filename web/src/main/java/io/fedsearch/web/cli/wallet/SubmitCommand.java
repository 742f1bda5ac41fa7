package io.fedsearch.web.cli.wallet;

import io.fedsearch.federation.payments.userwallet.UserWallet;
import io.fedsearch.federation.payments.userwallet.WalletState;
import io.fedsearch.federation.payments.userwallet.WalletTransactions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wallet submit --ledger URL}: submits the transactions kept while no ledger was given, in order. */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Submit the transactions signed without a ledger (create, fund, close, DID) and await them.")
final class SubmitCommand implements Callable<Integer> {
  @Mixin WalletOptions options;

  @Option(names = "--ledger", required = true, paramLabel = "URL", description = "rippled JSON-RPC URL.")
  String ledger;

  @Override
  public Integer call() throws Exception {
    try (UserWallet w = options.open()) {
      List<Map<String, Object>> out = new ArrayList<>();
      boolean allValidated = true;
      for (WalletState.TxRecord t : new WalletTransactions(w, WalletOptions.ledger(ledger), Duration.ofMinutes(2))
          .submitKept()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", t.kind);
        m.put("hash", t.hash);
        m.put("status", t.status);
        out.add(m);
        allValidated &= t.status.equals("validated: tesSUCCESS");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("submitted", out);
      m.put("channel_on_ledger", w.state().channel != null && w.state().channel.onLedger);
      options.print(m);
      return allValidated ? 0 : 1;
    }
  }
}
