package io.fedsearch.web.cli;

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
import picocli.CommandLine.Option;

/**
 * {@code fedsearch payouts list}: discovery fees owed per node, holds with reasons, payouts and nettings;
 * {@code fedsearch payouts hold}: an operator confirms a hold (it no longer lapses) or releases it.
 */
@Command(name = "payouts", mixinStandardHelpOptions = true, description = "Discovery fee payouts.",
    subcommands = {PayoutsCommand.ListPayouts.class, PayoutsCommand.Hold.class})
public final class PayoutsCommand {
  /** The JSON form (also what /api/payouts should return). */
  public static Map<String, Object> toJson(Payments p, int limit) {
    List<Object> owed = new ArrayList<>();
    for (FeeBook.Owed o : p.fees().all()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", o.node());
      m.put("accrued", o.accrued());
      m.put("paid", o.paid());
      m.put("netted", o.netted());
      m.put("due", o.due());
      m.put("oldest_unpaid", o.firstUnpaidAt().map(Object::toString).orElse(null));
      m.put("held", o.heldReason().orElse(null));
      m.put("hold_lapses_at", o.holdLapsesAt().map(Object::toString).orElse(null));
      owed.add(m);
    }
    List<Object> payouts = new ArrayList<>();
    for (PayoutService.Payout po : p.payouts().history(limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", po.node());
      m.put("channel", po.channel());
      m.put("amount", po.amount());
      m.put("cumulative", po.cumulative());
      m.put("at", po.at().toString());
      payouts.add(m);
    }
    List<Object> nettings = new ArrayList<>();
    for (Netting.Result r : p.netting().history()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("peer", r.peer());
      m.put("we_owed", r.weOwed());
      m.put("they_owed", r.theyOwed());
      m.put("offset", r.offset());
      m.put("saving", r.saving());
      m.put("at", r.at().toString());
      nettings.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("owed", owed);
    out.put("payouts", payouts);
    out.put("netting", nettings);
    return out;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List fees owed, payouts and nettings.")
  static final class ListPayouts implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Node directory.")
    Path dir;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--limit", defaultValue = "100", description = "Most recent payouts to show (default 100).")
    int limit;

    @Override
    public Integer call() throws Exception {
      try (Payments p = PaymentsCli.open(dir, null)) {
        if (json) {
          PaymentsCli.printJson(toJson(p, limit));
          return 0;
        }
        List<FeeBook.Owed> owed = p.fees().all();
        if (owed.isEmpty()) {
          System.out.println("no discovery fees owed");
        }
        for (FeeBook.Owed o : owed) {
          System.out.printf("node %s due %d (accrued %d, paid %d, netted %d)%s%n", o.node(), o.due(), o.accrued(),
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

  /** Confirms or releases an operator's decision on a node's hold. */
  public static String decide(Payments p, String node, boolean confirm) {
    if (!node.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("node: the node's public key as 64 lower-case hex digits");
    }
    if (confirm) {
      return p.fees().confirmHold(node) ? "confirmed: payouts to " + node + " stay held until released"
          : "no hold in force on " + node + " to confirm";
    }
    p.fees().release(node);
    return "released: payouts to " + node + " resume at the next batch";
  }

  @Command(name = "hold", mixinStandardHelpOptions = true,
      description = "Confirm a node's anomaly hold (it then no longer lapses) or release it.")
  static final class Hold implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Node directory.")
    Path dir;

    @Option(names = "--node", required = true, description = "The held node's public key (hex).")
    String node;

    @Option(names = "--release", description = "Release the hold instead of confirming it.")
    boolean release;

    @Override
    public Integer call() throws Exception {
      try (Payments p = PaymentsCli.open(dir, null)) {
        System.out.println(decide(p, node, !release));
      }
      return 0;
    }
  }
}
