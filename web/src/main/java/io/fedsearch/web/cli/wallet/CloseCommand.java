package io.fedsearch.web.cli.wallet;

import io.fedsearch.federation.payments.userwallet.UserWallet;
import io.fedsearch.federation.payments.userwallet.WalletState;
import io.fedsearch.federation.payments.userwallet.WalletTransactions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wallet close}: the source's PaymentChannelClaim with tfClose; the ledger closes the channel once the hub
 * has claimed its due, else after the settle delay, and returns the rest to the wallet's account.
 */
@Command(name = "close", mixinStandardHelpOptions = true, description = "Ask the ledger to close the channel.")
final class CloseCommand implements Callable<Integer> {
  @Mixin WalletOptions options;

  @Option(names = "--ledger", paramLabel = "URL", description = "rippled JSON-RPC URL: submit and await validation.")
  String ledger;

  @Override
  public Integer call() throws Exception {
    try (UserWallet w = options.open()) {
      WalletState.TxRecord tx = new WalletTransactions(w, WalletOptions.ledger(ledger), Duration.ofMinutes(2))
          .close();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("channel", w.state().channel.id);
      m.put("hash", tx.hash);
      m.put("status", tx.status);
      m.put("note", "the hub keeps " + w.state().channel.settleDelay + " s to claim what it is owed");
      options.print(m);
    }
    return 0;
  }
}
