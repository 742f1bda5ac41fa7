package io.fedsearch.bench.payments;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fedsearch bench payouts --topology direct|hub|both}: a month of purchases ({@link MonthPlan}: platforms
 * by Zipf popularity, users spread across them) counted on the ledger in each topology ({@link MonthLedger}:
 * channels, transactions per 1,000 payments, the reduction against one ledger payment each, bilateral against
 * multilateral netting of the month's debts, then the same debts set off by the real protocol: {@link NettingRun}),
 * and the accept path measured on the first {@code sampleUsers}
 * users through real nodes ({@link AcceptSample}: {@code claims_per_s}, {@code p99_accept_ms}). With {@code both},
 * the two topologies run on the same plan in one process and their ratios are printed too.
 */
public final class TopologyBenchmark {
  /** Options; see the CLI for their flags. */
  public record Options(List<String> topologies, int platforms, int hubs, int users, int purchasesPerUser,
      double zipf, int sampleUsers, int threads, long seed, Path dir) {
    public Options {
      topologies = List.copyOf(topologies);
      for (String t : topologies) {
        if (!t.equals("direct") && !t.equals("hub")) {
          throw new IllegalArgumentException("topology is direct, hub or both, not " + t);
        }
      }
      if (platforms < 1 || hubs < 1 || users < 1 || purchasesPerUser < 1 || sampleUsers < 1 || threads < 1) {
        throw new IllegalArgumentException("platforms, hubs, users, purchases per user, sample and threads must be"
            + " positive");
      }
    }
  }

  private static final int WARM_UP_USERS = 50;
  private final Options o;

  public TopologyBenchmark(Options o) {
    this.o = o;
  }

  public Map<String, Object> run() {
    long wall0 = System.nanoTime();
    Map<String, Map<String, Object>> each = new LinkedHashMap<>();
    // A short unmeasured pass of each topology first, so that neither is measured on a cold JIT.
    for (String t : o.topologies()) {
      boolean hub = t.equals("hub");
      AcceptSample.measure(new MonthPlan(o.platforms(), hub ? o.hubs() : 0, o.users(), o.purchasesPerUser(), o.zipf(),
          o.seed() + 1), hub, Math.min(o.sampleUsers(), WARM_UP_USERS), o.threads(), o.dir().resolve("warm-up-" + t));
    }
    for (String t : o.topologies()) {
      boolean hub = t.equals("hub");
      MonthPlan plan = new MonthPlan(o.platforms(), hub ? o.hubs() : 0, o.users(), o.purchasesPerUser(), o.zipf(),
          o.seed());
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("topology", t);
      f.put("platforms", o.platforms());
      f.put("hubs", hub ? o.hubs() : 0);
      f.put("users", o.users());
      f.put("purchases_per_user", o.purchasesPerUser());
      MonthLedger ledger = MonthLedger.of(plan, hub);
      f.putAll(ledger.figures());
      NettingRun.Result netting = NettingRun.run(ledger.debts, o.dir().resolve(t + "-netting"));
      f.put("protocol_netting_saving", ledger.grossDebt == 0 ? 0.0
          : MonthLedger.round((double) netting.cancelled() / ledger.grossDebt, 10_000));
      f.put("protocol_netting_cycles", netting.cycles());
      f.put("protocol_netting_messages", netting.messages());
      f.put("protocol_netting_s", MonthLedger.round(netting.seconds(), 10));
      AcceptSample.Result r = AcceptSample.measure(plan, hub, o.sampleUsers(), o.threads(), o.dir().resolve(t));
      f.put("sample_purchases", r.purchases());
      f.put("sample_claims", r.claims());
      f.put("accepted", r.accepted());
      f.put("rejected", r.rejected());
      if (r.firstRejection() != null) {
        f.put("first_rejection", r.firstRejection());
      }
      f.put("claims_per_s", Math.round(r.accepted() / r.seconds()));
      f.put("claims_per_cpu_s", Math.round(r.accepted() / Math.max(1e-9, r.cpuSeconds())));
      f.put("claim_cores_used", Math.round(100 * r.cpuSeconds() / r.seconds()) / 100.0);
      f.put("purchases_per_s", Math.round(r.purchases() / r.seconds()));
      f.put("p50_accept_ms", r.p50Ms());
      f.put("p99_accept_ms", r.p99Ms());
      f.put("claim_sign_per_s", Math.round(r.signPerS()));
      each.put(t, f);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (each.size() == 1) {
      out.putAll(each.values().iterator().next());
    } else {
      out.putAll(each);
      Map<String, Object> d = each.get("direct");
      Map<String, Object> h = each.get("hub");
      Map<String, Object> ratios = new LinkedHashMap<>();
      ratios.put("ledger_txs_hub_over_direct", ratio(h.get("ledger_txs"), d.get("ledger_txs")));
      ratios.put("channels_hub_over_direct", ratio(h.get("channels"), d.get("channels")));
      ratios.put("claims_per_s_hub_over_direct", ratio(h.get("claims_per_s"), d.get("claims_per_s")));
      ratios.put("purchases_per_s_hub_over_direct", ratio(h.get("purchases_per_s"), d.get("purchases_per_s")));
      out.put("ratios", ratios);
    }
    out.put("threads", o.threads());
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("load_average_at_end", Math.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage() * 10) / 10.0);
    out.put("wall_s", Math.round((System.nanoTime() - wall0) / 1e8) / 10.0);
    return out;
  }

  private static double ratio(Object a, Object b) {
    double y = ((Number) b).doubleValue();
    return y == 0 ? 0 : MonthLedger.round(((Number) a).doubleValue() / y, 10_000);
  }
}
