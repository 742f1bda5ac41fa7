package io.fedsearch.web.cli;

import io.fedsearch.web.http.PaymentsJson;
import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.Netting;
import io.fedsearch.federation.payments.payout.PayoutService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedsearch payouts list}: discovery fees owed per node, holds with reasons, payouts and nettings;
 * {@code fedsearch payouts hold}: an operator confirms a hold (it no longer lapses) or releases it.
 */
@Command(name = "payouts", mixinStandardHelpOptions = true, description = "Discovery fee payouts.",
    subcommands = {PayoutsCommand.ListPayouts.class, PayoutsCommand.Hold.class})
public final class PayoutsCommand {
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List fees owed, payouts and nettings.")
  static final class ListPayouts implements Callable<Integer> {
    @Mixin
    NodeDirOption nodeDir;

    @Mixin
    JsonOption output;

    @Option(names = "--limit", defaultValue = "100", description = "Most recent payouts to show (default 100).")
    int limit;

    @Override
    public Integer call() throws Exception {
      try (Payments p = PaymentsCli.open(nodeDir.dir(), null)) {
        if (output.json()) {
          PaymentsCli.printJson(PaymentsJson.payouts(p, limit));
          return 0;
        }
        List<FeeBook.Owed> owed = p.fees().all();
        if (owed.isEmpty()) {
          System.out.println("no discovery fees owed");
        }
        for (FeeBook.Owed o : owed) {
          System.out.printf("node %s due %d (accrued %d, paid %d, netted %d)%s%n", o.node().hex(), o.due(), o.accrued(),
              o.paid(), o.netted(), o.heldReason().map(r -> "  HELD: " + r + o.holdLapsesAt()
                  .map(t -> " (lapses at " + t + " unless confirmed)").orElse(" (confirmed)")).orElse(""));
        }
        for (PayoutService.Payout po : p.payouts().history(limit)) {
          System.out.printf("%s paid %d to %s over %s (cumulative %d)%n", po.at(), po.amount(), po.node(),
              po.channel(), po.cumulative());
        }
      }
      return 0;
    }
  }

  @Command(name = "hold", mixinStandardHelpOptions = true,
      description = "Confirm a node's anomaly hold (it then no longer lapses) or release it.")
  static final class Hold implements Callable<Integer> {
    @Mixin
    NodeDirOption nodeDir;

    @Option(names = "--node", required = true, description = "The held node's public key (hex).")
    String node;

    @Option(names = "--release", description = "Release the hold instead of confirming it.")
    boolean release;

    @Override
    public Integer call() throws Exception {
      try (Payments p = PaymentsCli.open(nodeDir.dir(), null)) {
        System.out.println(PaymentsJson.decideHold(p, node, !release));
      }
      return 0;
    }
  }
}
