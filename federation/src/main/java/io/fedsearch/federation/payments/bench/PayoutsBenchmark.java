package io.fedsearch.federation.payments.bench;

import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.InProcessPayoutTransport;
import io.fedsearch.federation.payments.payout.Netting;
import io.fedsearch.federation.payments.payout.PayoutService;
import io.fedsearch.federation.payments.purchase.PurchaseService;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.federation.query.AttributionToken;
import io.fedsearch.indexer.cid.Cid;
import io.fedsearch.indexer.cid.DagCbor;
import io.fedsearch.indexer.identity.NodeKey;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
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
  public record Options(int nodes, int users, long purchases, int items, double zipf, int threads, int chunk,
      int hours, long seed, Path dir, KeyType userKeys) {}

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
    XrplAccountKey[] users = new XrplAccountKey[o.users()];
    for (int u = 0; u < o.users(); u++) {
      users[u] = XrplAccountKey.generate(o.userKeys());
    }
    UserChannel[][] channels = new UserChannel[o.users()][o.nodes()];
    int[] nextSeq = new int[o.users()];
    Zipf zipf = new Zipf(o.items(), o.zipf());

    long signNanos = 0;
    long acceptNanos = 0;
    long accepted = 0;
    long rejected = 0;
    long userCreates = 0;
    long feePayments = 0;
    String firstRejection = null;
    long[] latencies = new long[(int) Math.min(o.purchases(), 2_000_000)];
    int latencyCount = 0;
    long chunks = (o.purchases() + o.chunk() - 1) / o.chunk();
    Duration step = Duration.ofSeconds(Math.max(1, o.hours() * 3600L / Math.max(1, chunks)));
    long done = 0;
    int chunkNo = 0;
    while (done < o.purchases()) {
      int n = (int) Math.min(o.chunk(), o.purchases() - done);
      // the purchases of this chunk: who buys what, served by whom
      int[] user = new int[n];
      int[] item = new int[n];
      int[] server = new int[n];
      for (int i = 0; i < n; i++) {
        user[i] = rnd.nextInt(o.users());
        item[i] = zipf.sample(rnd);
        server[i] = rnd.nextInt(o.nodes());
      }
      long s0 = System.nanoTime();
      Prepared[] prepared = new Prepared[n];
      Instant now = clock.instant();
      // signing, in parallel by user so each channel's claims stay in order
      int lanes = Math.max(1, o.threads());
      Thread[] signers = new Thread[lanes];
      long seedBase = rnd.nextLong();
      for (int t = 0; t < lanes; t++) {
        final int lane = t;
        signers[t] = new Thread(() -> {
          SplittableRandom r = new SplittableRandom(seedBase + lane);
          for (int i = 0; i < n; i++) {
            if (user[i] % lanes != lane) {
              continue;
            }
            int platform = item[i] % o.nodes();
            UserChannel ch = channels[user[i]][platform];
            boolean first = ch == null;
            if (first) {
              ch = UserChannel.open(users[user[i]], nodes.get(platform).account().address().value(), 100_000_000,
                  86_400, Optional.empty(), ++nextSeq[user[i]], 12);
              channels[user[i]][platform] = ch;
            }
            long price = prices[item[i]];
            Instant issued = now.minusSeconds(5 + r.nextInt(600)); // people take a while to buy
            String token = AttributionToken.issue(keys.get(server[i]), cids[item[i]], "bench query " + item[i],
                issued, Duration.ofHours(2)).encode();
            prepared[i] = new Prepared(platform, ch, first, ch.pay(price), cids[item[i]], price, token);
          }
        });
        signers[t].start();
      }
      joinAll(signers);
      signNanos += System.nanoTime() - s0;
      for (Prepared p : prepared) {
        if (p.first()) {
          userCreates++;
        }
        if (!keys.get(p.platform()).publicKey().equals(AttributionToken.Signed.decode(p.token()).token().node())) {
          feePayments++;
        }
      }
      // accepting: workers partitioned by channel, many purchases in flight (group commit)
      long a0 = System.nanoTime();
      long[] chunkLat = new long[n];
      AtomicLong ok = new AtomicLong();
      AtomicLong bad = new AtomicLong();
      String[] firstBad = new String[1];
      Thread[] workers = new Thread[lanes];
      for (int t = 0; t < lanes; t++) {
        final int lane = t;
        workers[t] = new Thread(() -> {
          Semaphore window = new Semaphore(4096);
          List<CompletableFuture<?>> pending = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            Prepared p = prepared[i];
            if (Math.floorMod(p.channel().id().hashCode(), lanes) != lane) {
              continue;
            }
            window.acquireUninterruptibly();
            long t0 = System.nanoTime();
            final int idx = i;
            PurchaseService.Request req = new PurchaseService.Request(p.claim(), p.cid(), p.price(), p.token(),
                p.first() ? Optional.of(p.channel().createBlob()) : Optional.empty());
            pending.add(nodes.get(p.platform()).purchases().purchaseAsync(req).whenComplete((r, e) -> {
              chunkLat[idx] = System.nanoTime() - t0;
              if (e == null) {
                ok.incrementAndGet();
              } else if (bad.incrementAndGet() == 1) {
                firstBad[0] = String.valueOf(e.getCause() == null ? e : e.getCause());
              }
              window.release();
            }));
          }
          for (CompletableFuture<?> f : pending) {
            try {
              f.join();
            } catch (RuntimeException ignored) {
              // counted in whenComplete
            }
          }
        });
        workers[t].start();
      }
      joinAll(workers);
      acceptNanos += System.nanoTime() - a0;
      accepted += ok.get();
      rejected += bad.get();
      if (firstRejection == null) {
        firstRejection = firstBad[0];
      }
      for (long l : chunkLat) {
        if (latencyCount < latencies.length) {
          latencies[latencyCount++] = l;
        }
      }
      done += n;
      chunkNo++;
      clock.advance(step);
      periodic(chunkNo % 6 == 0);
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
    long commits = 0;
    long writes = 0;
    for (Payments p : nodes) {
      long[] st = p.db().commitStats();
      commits += st[0];
      writes += st[1];
    }
    if (export != null) {
      exportAll(export, channels);
    }
    long[] lat = Arrays.copyOf(latencies, latencyCount);
    Arrays.sort(lat);
    long payments = accepted + feePayments;
    long ledgerTxs = userCreates + outboxTxs;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("nodes", o.nodes());
    out.put("users", o.users());
    out.put("purchases", o.purchases());
    out.put("accepted", accepted);
    out.put("rejected", rejected);
    if (firstRejection != null) {
      out.put("first_rejection", firstRejection);
    }
    out.put("claims_per_s", Math.round(accepted / (acceptNanos / 1e9)));
    out.put("p50_accept_ms", pct(lat, 0.50));
    out.put("p99_accept_ms", pct(lat, 0.99));
    out.put("sign_per_s", Math.round(o.purchases() / (signNanos / 1e9)));
    out.put("group_commit_writes_per_commit", commits == 0 ? 0 : Math.round(10.0 * writes / commits) / 10.0);
    out.put("payments", payments);
    out.put("discovery_fee_payments", feePayments);
    out.put("payout_claims", payoutClaims);
    out.put("ledger_txs", ledgerTxs);
    out.put("ledger_txs_user_creates", userCreates);
    out.put("ledger_txs_outbox", byKind);
    out.put("ledger_txs_naive", payments);
    out.put("reduction", Math.round(10_000.0 * (1 - (double) ledgerTxs / payments)) / 10_000.0);
    out.put("netting_offset_drops", offset);
    out.put("gross_fees_drops", grossFees);
    out.put("netting_saving", grossFees == 0 ? 0.0 : Math.round(10_000.0 * 2 * offset / grossFees) / 10_000.0);
    out.put("held_nodes", held);
    out.put("simulated_hours", o.hours());
    out.put("threads", o.threads());
    out.put("wall_s", Math.round((System.nanoTime() - wall0) / 1e8) / 10.0);
    for (Payments p : nodes) {
      p.close();
    }
    return out;
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

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    long v = sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    return Math.round(v / 1e4) / 100.0;
  }

  private static void joinAll(Thread[] ts) {
    for (Thread t : ts) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
