package io.fedsearch.bench.payments;

import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.InProcessPayoutTransport;
import io.fedsearch.federation.payments.payout.Netting;
import io.fedsearch.federation.payments.payout.PayoutService;
import io.fedsearch.federation.payments.purchase.Listings;
import io.fedsearch.federation.payments.purchase.PurchaseService;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * {@code fedsearch bench payouts}: a simulated federation driven through the real code path. {@code nodes}
 * platforms each sell a share of {@code items} works (Zipf popularity); {@code users} users buy them, each over a
 * channel to the selling platform (opened with its first purchase by presenting the signed create); every purchase
 * carries an attribution token from a random serving node. Per chunk of purchases: users' claims and tokens are
 * signed (timed apart), then {@code threads} workers hand them to the platforms' PurchaseService (claim and token
 * verified, sale journaled with group commit, receipt signed) — that phase gives claims_per_s and the accept
 * latency. Simulated time advances over the run ({@code hours}); at each chunk end platforms net mutual discovery
 * fees, pay due fees over payout channels (claims verified and journaled by the receiving node) and settle due
 * channels; at the end everything is settled. ledger_txs counts what would reach the ledger (users' channel creates
 * plus every outbox transaction: payout channel creates, top-ups, settlement claims); ledger_txs_naive is one
 * ledger payment per purchase and per discovery fee.
 */
public final class PayoutsBenchmark {
  /** Options; see the CLI for their flags. */
  public record Options(int nodes, int users, long purchases, long claims, int items, double zipf, int threads,
      int chunk, int hours, long seed, Path dir, KeyType userKeys) {}

  private record Prepared(int platform, UserChannel channel, boolean first, Claim claim, Cid cid, long price,
      String token) {}

  private final Options o;
  private final SimClock clock = new SimClock(Instant.now());
  private final List<Payments> nodes = new ArrayList<>();
  private final List<NodeKey> keys = new ArrayList<>();
  private final InProcessPayoutTransport transport = new InProcessPayoutTransport();

  public PayoutsBenchmark(Options o) {
    this.o = o;
  }

  /** Runs the workload; {@code export} (nullable) receives every claim and transaction as JSON lines. */
  public Map<String, Object> run(Writer export) throws IOException {
    long wall0 = System.nanoTime();
    PaymentsConfig cfg = PaymentsConfig.defaults().withDiscoveryShareBps(1000)
        .withPayoutBatching(1_000_000, Duration.ofHours(1));
    for (int i = 0; i < o.nodes(); i++) {
      NodeKey k = NodeKey.generate();
      Payments p = Payments.open(o.dir().resolve("node" + i), k, cfg, transport, clock);
      transport.register(k.publicKey(), p.receiver());
      keys.add(k);
      nodes.add(p);
    }
    Cid[] cids = new Cid[o.items()];
    long[] prices = new long[o.items()];
    SplittableRandom rnd = new SplittableRandom(o.seed());
    for (int i = 0; i < o.items(); i++) {
      cids[i] = Cid.ofDagCbor(DagCbor.encode(Map.of("bench-work", (long) i)));
      prices[i] = (long) Math.exp(Math.log(1_000) + rnd.nextDouble() * (Math.log(100_000) - Math.log(1_000)));
    }
    Map<Cid, Long> catalog = new java.util.HashMap<>();
    for (int i = 0; i < o.items(); i++) {
      catalog.put(cids[i], prices[i]);
    }
    Listings listings = Listings.of(catalog);
    nodes.forEach(p -> p.purchases().sellFrom(listings));
    XrplAccountKey[] users = new XrplAccountKey[o.users()];
    for (int u = 0; u < o.users(); u++) {
      users[u] = XrplAccountKey.generate(o.userKeys());
    }
    UserChannel[][] channels = new UserChannel[o.users()][o.nodes()];
    int[] nextSeq = new int[o.users()];
    Zipf zipf = new Zipf(o.items(), o.zipf());

    // The whole plan up front: who buys what, served by whom.
    int[] user = new int[(int) o.purchases()];
    int[] item = new int[user.length];
    int[] server = new int[user.length];
    for (int i = 0; i < user.length; i++) {
      user[i] = rnd.nextInt(o.users());
      item[i] = zipf.sample(rnd);
      server[i] = rnd.nextInt(o.nodes());
    }
    int lanes = Math.max(1, o.threads());

    // Phase 1: users open the channels they will need (signed creates presented to the platforms).
    long open0 = System.nanoTime();
    boolean[][] needed = new boolean[o.users()][o.nodes()];
    for (int i = 0; i < user.length; i++) {
      needed[user[i]][item[i] % o.nodes()] = true;
    }
    AcceptLanes.parallel(lanes, lane -> {
      for (int u = lane; u < o.users(); u += lanes) {
        int seq = 0;
        for (int p = 0; p < o.nodes(); p++) {
          if (needed[u][p]) {
            UserChannel ch = UserChannel.open(users[u], nodes.get(p).account().address().value(), 100_000_000,
                86_400, Optional.empty(), ++seq, 12);
            channels[u][p] = ch;
            nodes.get(p).payee().learnChannelAsync(ch.createBlob(), null);
          }
        }
      }
    });
    nodes.forEach(p -> p.db().barrier());
    long userCreates = 0;
    for (UserChannel[] row : channels) {
      for (UserChannel ch : row) {
        userCreates += ch == null ? 0 : 1;
      }
    }
    double openSeconds = (System.nanoTime() - open0) / 1e9;

    // Phase 2: purchases in chunks; signing (users, serving nodes) timed apart from accepting (platforms).
    long signNanos = 0;
    long acceptNanos = 0;
    long accepted = 0;
    long rejected = 0;
    long feePayments = 0;
    String firstRejection = null;
    AcceptLanes.Latencies purchaseLat = new AcceptLanes.Latencies(user.length);
    long chunks = (o.purchases() + o.chunk() - 1) / o.chunk();
    Duration step = Duration.ofSeconds(Math.max(1, o.hours() * 3600L / Math.max(1, chunks)));
    for (int start = 0; start < user.length; start += o.chunk()) {
      final int from = start;
      final int n = Math.min(o.chunk(), user.length - start);
      long s0 = System.nanoTime();
      Prepared[] prepared = new Prepared[n];
      Instant now = clock.instant();
      long seedBase = rnd.nextLong();
      AcceptLanes.parallel(lanes, lane -> {
        SplittableRandom r = new SplittableRandom(seedBase + lane);
        for (int i = 0; i < n; i++) {
          int k = from + i;
          if (user[k] % lanes != lane) {
            continue; // each user's claims are signed by one lane, in order
          }
          int platform = item[k] % o.nodes();
          UserChannel ch = channels[user[k]][platform];
          long price = prices[item[k]];
          Instant issued = now.minusSeconds(5 + r.nextInt(600)); // people take a while to buy
          String token = AttributionToken.issue(keys.get(server[k]), cids[item[k]], "bench query " + item[k],
              issued, Duration.ofHours(2)).encode();
          prepared[i] = new Prepared(platform, ch, false, ch.pay(price), cids[item[k]], price, token);
        }
      });
      signNanos += System.nanoTime() - s0;
      for (int i = 0; i < n; i++) {
        if (server[from + i] != prepared[i].platform()) {
          feePayments++;
        }
      }
      long a0 = System.nanoTime();
      AcceptLanes.Outcome outcome = AcceptLanes.accept(lanes, n, i -> prepared[i].channel().id(), i -> {
        Prepared p = prepared[i];
        return nodes.get(p.platform()).purchases().purchaseAsync(new PurchaseService.Request(p.claim(), p.cid(),
            p.price(), p.token(), Optional.empty()));
      }, purchaseLat, laneCpu);
      acceptNanos += System.nanoTime() - a0;
      accepted += outcome.ok();
      rejected += outcome.bad();
      if (firstRejection == null) {
        firstRejection = outcome.firstBad();
      }
      clock.advance(step);
      periodic(true);
    }

    // Phase 3: a stream of plain claims (streaming micropayments / payout-style): verify + durable journal only.
    List<UserChannel> open = new ArrayList<>();
    List<Integer> openPlatform = new ArrayList<>();
    for (UserChannel[] row : channels) {
      for (int p = 0; p < row.length; p++) {
        if (row[p] != null) {
          open.add(row[p]);
          openPlatform.add(p);
        }
      }
    }
    int claimCount = (int) Math.min(o.claims(), Integer.MAX_VALUE);
    Claim[] claims = new Claim[claimCount];
    int[] claimPlatform = new int[claimCount];
    long c0 = System.nanoTime();
    AcceptLanes.parallel(lanes, lane -> {
      for (int i = 0; i < claimCount; i++) {
        int j = i % open.size(); // claim i goes over channel j; channel j is signed by lane j % lanes, in order
        if (j % lanes == lane) {
          claims[i] = open.get(j).pay(1);
          claimPlatform[i] = openPlatform.get(j);
        }
      }
    });
    double claimSignSeconds = (System.nanoTime() - c0) / 1e9;
    AcceptLanes.Latencies claimLat = new AcceptLanes.Latencies(claimCount);
    long[] commits0 = commitTotals();
    long journalCpu0 = journalCpuNanos();
    laneCpu.set(0);
    long cpu0 = processCpuNanos();
    long ca0 = System.nanoTime();
    AcceptLanes.Outcome claimOutcome = AcceptLanes.accept(lanes, claimCount, i -> claims[i].channel(),
        i -> nodes.get(claimPlatform[i]).payee().acceptAsync(claims[i], 0, null), claimLat, laneCpu);
    double claimAcceptSeconds = (System.nanoTime() - ca0) / 1e9;
    long claimCpu = processCpuNanos() - cpu0;
    long claimLaneCpu = laneCpu.get();
    long claimJournalCpu = journalCpuNanos() - journalCpu0;
    long[] commits1 = commitTotals();
    rejected += claimOutcome.bad();
    if (firstRejection == null) {
      firstRejection = claimOutcome.firstBad();
    }

    // end of the run: let the batching delay pass, net, pay and settle everything
    clock.advance(Duration.ofHours(2));
    periodic(true);
    for (Payments p : nodes) {
      p.settlement().run(true);
    }

    long outboxTxs = 0;
    Map<String, Long> byKind = new LinkedHashMap<>();
    for (Payments p : nodes) {
      for (Outbox.Entry e : p.outbox().list()) {
        outboxTxs++;
        byKind.merge(e.kind(), 1L, Long::sum);
      }
    }
    long payoutClaims = 0;
    long grossFees = 0;
    for (Payments p : nodes) {
      payoutClaims += p.payouts().history(Integer.MAX_VALUE).size();
      for (FeeBook.Owed f : p.fees().all()) {
        grossFees += f.accrued();
      }
    }
    long offset = 0;
    for (Payments p : nodes) {
      for (Netting.Result r : p.netting().history()) {
        offset += r.offset();
      }
    }
    offset /= 2; // each netting is recorded by both sides
    long held = nodes.stream().mapToLong(p -> p.fees().all().stream().filter(f -> f.heldReason().isPresent())
        .count()).sum();
    long[] totals = commitTotals();
    long commits = totals[0];
    long writes = totals[1];
    if (export != null) {
      exportAll(export, channels);
    }
    long payments = accepted + feePayments;
    long ledgerTxs = userCreates + outboxTxs;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("nodes", o.nodes());
    out.put("users", o.users());
    out.put("purchases", o.purchases());
    out.put("items", o.items());
    out.put("zipf", o.zipf());
    out.put("claims", claimCount);
    out.put("accepted", accepted + claimOutcome.ok());
    out.put("rejected", rejected);
    if (firstRejection != null) {
      out.put("first_rejection", firstRejection);
    }
    out.put("claims_per_s", Math.round(claimOutcome.ok() / claimAcceptSeconds));
    out.put("p50_accept_ms", claimLat.pct(0.50));
    out.put("p99_accept_ms", claimLat.pct(0.99));
    // Where the claim phase's time goes, robust to other load on the machine: process CPU per accepted claim
    // (verification, journal, completion), the cores this process got, and the group-commit factor of the phase.
    out.put("claim_cpu_us_per_claim", Math.round(claimCpu / 1e3 / Math.max(1, claimOutcome.ok())));
    out.put("claim_check_cpu_us_per_claim", Math.round(claimLaneCpu / 1e3 / Math.max(1, claimOutcome.ok())));
    out.put("claim_journal_cpu_us_per_claim", Math.round(claimJournalCpu / 1e3 / Math.max(1, claimOutcome.ok())));
    // claims per second of this process's CPU: what one dedicated core sustains, whatever else the machine runs
    out.put("claims_per_cpu_s", Math.round(claimOutcome.ok() / Math.max(1e-9, claimCpu / 1e9)));
    out.put("claim_cores_used", Math.round(100.0 * claimCpu / 1e9 / claimAcceptSeconds) / 100.0);
    long phaseCommits = commits1[0] - commits0[0];
    out.put("claim_writes_per_commit",
        phaseCommits == 0 ? 0 : Math.round(10.0 * (commits1[1] - commits0[1]) / phaseCommits) / 10.0);
    out.put("claim_sign_per_s", Math.round(claimCount / claimSignSeconds));
    out.put("purchases_per_s", Math.round(accepted / (acceptNanos / 1e9)));
    out.put("purchase_p50_ms", purchaseLat.pct(0.50));
    out.put("purchase_p99_ms", purchaseLat.pct(0.99));
    out.put("purchase_sign_per_s", Math.round(o.purchases() / (signNanos / 1e9)));
    out.put("channel_opens", userCreates);
    out.put("channel_opens_per_s", Math.round(userCreates / openSeconds));
    out.put("group_commit_writes_per_commit", commits == 0 ? 0 : Math.round(10.0 * writes / commits) / 10.0);
    out.put("payments", payments);
    out.put("discovery_fee_payments", feePayments);
    out.put("payout_claims", payoutClaims);
    out.put("ledger_txs", ledgerTxs);
    out.put("ledger_txs_user_creates", userCreates);
    out.put("ledger_txs_outbox", byKind);
    out.put("ledger_txs_naive", payments);
    out.put("reduction", ratio(1 - (double) ledgerTxs / payments));
    // The breakdown: settlement claims alone (what batching saves) against opening channels (a fixed cost per
    // user and platform pair that only more payments per channel amortise).
    long settlementTxs = byKind.getOrDefault("claim", 0L);
    long channelsOpened = userCreates + byKind.getOrDefault("create", 0L);
    out.put("ledger_txs_settlement", settlementTxs);
    out.put("settlement_reduction", ratio(1 - (double) settlementTxs / payments));
    out.put("channels", channelsOpened);
    out.put("payments_per_channel", Math.round(100.0 * payments / Math.max(1, channelsOpened)) / 100.0);
    // Every channel costs at least two ledger transactions (its create and one claim that settles it), whatever the
    // batching: the best reduction this workload's channels allow, to read `reduction` against.
    out.put("reduction_bound", ratio(1 - 2.0 * channelsOpened / payments));
    out.put("netting_offset_drops", offset);
    out.put("gross_fees_drops", grossFees);
    out.put("netting_saving", grossFees == 0 ? 0.0 : Math.round(10_000.0 * 2 * offset / grossFees) / 10_000.0);
    out.put("held_nodes", held);
    out.put("simulated_hours", o.hours());
    out.put("threads", o.threads());
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("load_average_at_end", Math.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage() * 10) / 10.0);
    out.put("wall_s", Math.round((System.nanoTime() - wall0) / 1e8) / 10.0);
    for (Payments p : nodes) {
      p.close();
    }
    return out;
  }

  private static double ratio(double r) {
    return Math.round(10_000.0 * r) / 10_000.0;
  }

  /** Commits and the writes they carried, summed over every node's journal. */
  private long[] commitTotals() {
    long[] t = new long[2];
    for (Payments p : nodes) {
      long[] st = p.db().commitStats();
      t[0] += st[0];
      t[1] += st[1];
    }
    return t;
  }

  /** CPU of the accepting lanes (claim decode, signature and payee checks, queueing), summed as each lane ends. */
  private static final AtomicLong laneCpu = new AtomicLong();

  /** CPU of every node's group-commit thread so far (SQLite, fsync, completing the futures). */
  private static long journalCpuNanos() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(io.fedsearch.federation.payments.journal.PaymentsDb.COMMITTER_THREAD)) {
        sum += Math.max(0, mx.getThreadCpuTime(t.threadId()));
      }
    }
    return sum;
  }

  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  /** Netting (when {@code net}), payouts and settlement on every platform. */
  private void periodic(boolean net) {
    if (net) {
      for (int i = 0; i < nodes.size(); i++) {
        for (int j = i + 1; j < nodes.size(); j++) {
          try {
            nodes.get(i).payouts().net(keys.get(j).publicKey());
          } catch (IOException e) {
            throw new IllegalStateException("netting failed: " + e.getMessage(), e);
          }
        }
      }
    }
    for (Payments p : nodes) {
      for (PayoutService.Payout po : p.payouts().runDue()) {
        if (!"paid".equals(po.status())) {
          throw new IllegalStateException("payout to " + po.node() + " " + po.status() + ": " + po.reason());
        }
      }
      p.settlement().run();
    }
  }

  private void exportAll(Writer w, UserChannel[][] channels) throws IOException {
    for (Payments p : nodes) {
      List<String[]> rows = p.db().read(c -> {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT k.channel, k.amount, k.signature, ch.public_key"
            + " FROM claims k JOIN channels ch ON ch.id = k.channel ORDER BY k.channel, k.amount");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new String[] {rs.getString(1), Long.toString(rs.getLong(2)), rs.getString(3), rs.getString(4)});
          }
        }
        return out;
      });
      for (String[] r : rows) {
        w.write("{\"kind\":\"claim\",\"channel\":\"" + r[0] + "\",\"amount\":" + r[1] + ",\"signature\":\"" + r[2]
            + "\",\"public_key\":\"" + r[3] + "\"}\n");
      }
      for (Outbox.Entry e : p.outbox().list()) {
        w.write("{\"kind\":\"tx\",\"blob\":\"" + e.blob() + "\"}\n");
      }
    }
    for (UserChannel[] row : channels) {
      for (UserChannel ch : row) {
        if (ch != null) {
          w.write("{\"kind\":\"tx\",\"blob\":\"" + ch.createBlob() + "\"}\n");
        }
      }
    }
    w.flush();
  }

  /** Accept-phase outcome. */
}
