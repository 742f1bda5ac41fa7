package io.fedsearch.bench.payments;

import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.netting.CycleCoordinator;
import io.fedsearch.federation.payments.netting.DebtGraph;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.InProcessPayoutTransport;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A month's debts set off through the real protocol rather than the algorithm alone: one node per name in the
 * {@link DebtGraph}, each debt accrued in its debtor's fee book, the nodes connected by the in-process payout
 * transport; every node in turn runs {@code payouts().netCycles()} (declarations, signatures, pledges, commits) until
 * a full pass cancels nothing more. What it cancelled is read back from the fee books.
 */
final class NettingRun {
  /** What the protocol did. */
  record Result(long cancelled, long cycles, long messages, double seconds) {}

  private NettingRun() {}

  static Result run(DebtGraph debts, Path dir) {
    InProcessPayoutTransport transport = new InProcessPayoutTransport();
    SimClock clock = new SimClock(Instant.now());
    PaymentsConfig cfg = PaymentsConfig.defaults().withPayoutBatching(Long.MAX_VALUE / 4, Duration.ofDays(365));
    Map<String, NodeKey> keys = new HashMap<>();
    List<Payments> nodes = new ArrayList<>();
    try {
      for (String name : debts.nodes()) {
        NodeKey k = NodeKey.generate();
        Payments p = Payments.open(dir.resolve(name), k, cfg, transport, clock);
        transport.register(k.publicKey(), p.receiver());
        keys.put(name, k);
        nodes.add(p);
      }
      Map<String, Payments> byName = new HashMap<>();
      int i = 0;
      for (String name : debts.nodes()) {
        byName.put(name, nodes.get(i++));
      }
      for (Map.Entry<List<String>, Long> e : debts.edges()) {
        byName.get(e.getKey().get(0)).db().write(FeeBook.accrue(keys.get(e.getKey().get(1)).publicKey(),
            e.getValue(), clock.instant()));
      }
      long t0 = System.nanoTime();
      long messages0 = transport.messages();
      long cycles = 0;
      boolean progress = true;
      for (int pass = 0; progress && pass < 10; pass++) {
        progress = false;
        for (Payments p : nodes) {
          for (CycleCoordinator.Outcome o : p.payouts().netCycles()) {
            if ("done".equals(o.status()) || "committed".equals(o.status())) {
              cycles++;
              progress = true;
            }
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long cancelled = 0;
      for (Payments p : nodes) {
        for (FeeBook.Owed o : p.fees().all()) {
          cancelled += o.netted();
        }
      }
      return new Result(cancelled, cycles, transport.messages() - messages0, seconds);
    } finally {
      nodes.forEach(Payments::close);
    }
  }
}
