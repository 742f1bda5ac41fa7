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

/** {@code wallet fund --amount XRP}: a PaymentChannelFund, submitted with {@code --ledger}, else kept signed. */
@Command(name = "fund", mixinStandardHelpOptions = true, description = "Add XRP to the wallet's channel.")
final class FundCommand implements Callable<Integer> {
  @Mixin WalletOptions options;

  @Option(names = "--amount", required = true, paramLabel = "XRP", description = "XRP to add.")
  String amount;

  @Option(names = "--ledger", paramLabel = "URL", description = "rippled JSON-RPC URL: submit and await validation.")
  String ledger;

  @Override
  public Integer call() throws Exception {
    try (UserWallet w = options.open()) {
      WalletState.TxRecord tx = new WalletTransactions(w, WalletOptions.ledger(ledger), Duration.ofMinutes(2))
          .fund(WalletOptions.drops(amount));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("channel", w.state().channel.id);
      m.put("amount", w.state().channel.amount);
      m.put("hash", tx.hash);
      m.put("status", tx.status);
      options.print(m);
    }
    return 0;
  }
}
