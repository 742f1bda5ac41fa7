package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.ClaimVerifier;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.InProcessPayoutTransport;
import io.fedsearch.federation.payments.payout.PayoutService;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.federation.payments.purchase.Listings;
import io.fedsearch.federation.payments.purchase.PurchaseService;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;

/**
 * Money conservation over random interleavings (fixed seeds, reproducible: a failure names its seed and step) of
 * purchases, duplicate deliveries of purchases and payout messages, discovery payouts, netting, settlement and
 * submission, ledger closes, failed (tec claims and top-ups), refused (tem), dropped, already-known and expired submissions, and
 * restarts of either node (in-process reopen of its journal; {@link MoneyConservationCrashTest} kills a payee with
 * SIGKILL), two platform nodes against one {@link LedgerDouble} over HTTP, through the public payments API.
 *
 * <p>Invariants, after every step and after draining at the end: no acknowledged claim is lost (purchases answered
 * with a receipt, payouts answered "paid"); every channel's best claim stays settleable until it settles (its
 * channel is on the ledger, the claim verifies with the ledger's key and fits the ledger's amount; after the drain
 * the ledger Balance equals it); no node authorises payouts beyond its discovery share of the value its channels
 * brought in on the ledger; no claim a payer signs exceeds its channel's validated amount (a create or top-up still
 * in flight, or one that failed, adds nothing to what it may sign); no transaction validates twice (each account's validated transactions are exactly its
 * outbox rows that validated or failed with a tec), and the ledger double itself conserves XRP.
 */
@Timeout(900)
class MoneyConservationPropertyTest {
  static final long[] SEEDS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  static final int STEPS = 140;
  static final int SHARE_BPS = 1000;
  static final int WORKS = 20;
  static final long PAYOUT_CHANNEL_DROPS = 20_000;
  /**
   * Issue 17 defect 1 is A2's (wt-a2): with a ledger, a payee still accepts claims on a channel it learned from a
   * presented PaymentChannelCreate before the ledger has it. Until that fix is merged, such claims on channels the
   * payee itself lists as unconfirmed are counted (and printed) instead of failing the run; set this to true with
   * the merge. Channels the payee lists as confirmed are always checked.
   */
  static final boolean DEFECT_1_FIXED = true;
  static int unconfirmedExposures;
  /** What the runs did, so the report says how much was exercised: purchases, payouts, restarts, faults, txs. */
  static final Map<String, Integer> TALLY = new java.util.TreeMap<>();

  static void count(String what) {
    TALLY.merge(what, 1, Integer::sum);
  }

  @TempDir Path dir;

  static Cid work(int w) {
    return Cid.ofDagCbor(DagCbor.encode(Map.of("title", "work " + w)));
  }

  @Test
  void moneyIsConservedUnderRandomInterleavings() throws Exception {
    int steps = 0;
    for (long seed : SEEDS) {
      try (World w = new World(dir.resolve("seed" + seed), seed)) {
        steps += w.run(STEPS);
      }
    }
    System.out.printf("money conservation: %d interleavings (seeds %d..%d), %d steps; claims held on channels not yet"
        + " on the ledger (issue 17 defect 1, %s): %d checks%n", SEEDS.length, SEEDS[0], SEEDS[SEEDS.length - 1], steps,
        DEFECT_1_FIXED ? "enforced" : "counted, not enforced", unconfirmedExposures);
    System.out.println("money conservation: " + TALLY);
  }

  /** Two platforms, their users, one ledger double, and what was acknowledged to whom. */
  static final class World implements AutoCloseable {
    final long seed;
    final Random rnd;
    final SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
    final LedgerDouble ledger;
    final long initialDrops;
    final InProcessPayoutTransport transport = new InProcessPayoutTransport();
    final PaymentsConfig cfg;
    final List<Node> nodes = new ArrayList<>();
    final List<UserChannel> users = new ArrayList<>(); // user channels: index i pays node i % 2
    /** What both platforms sell: works 0..19, each at its own price (a buyer must pay the listed price). */
    final Map<Cid, Long> catalog = new HashMap<>();
    /** Channel → the highest Amount the validated ledger ever showed for it (amounts only grow while it exists). */
    final Map<String, Long> validatedAmount = new HashMap<>();
    /** node index -> channel -> acknowledged cumulative amounts. */
    final List<Map<String, Set<Long>>> acked = List.of(new HashMap<>(), new HashMap<>());
    boolean duplicatePayout;
    int stalledFor;
    String step = "setup";

    World(Path root, long seed) throws Exception {
      this.seed = seed;
      this.rnd = new Random(seed);
      for (int w = 0; w < WORKS; w++) {
        catalog.put(work(w), 1_000 + 3_000L * w);
      }
      ledger = new LedgerDouble(clock);
      cfg = PaymentsConfig.defaults().withRippledUrl(ledger.url()).withKeyType(KeyType.SECP256K1)
          .withDiscoveryShareBps(SHARE_BPS).withPayoutBatching(2_000, Duration.ofMinutes(30))
          .withSettlement(150_000, Duration.ofHours(6), Duration.ofHours(12))
          .withPayoutChannelDrops(PAYOUT_CHANNEL_DROPS); // small: payouts need top-ups, which can fail
      for (int i = 0; i < 2; i++) {
        Path d = root.resolve("node" + i);
        XrplAccountKey account = XrplAccountKey.loadOrCreate(d, KeyType.SECP256K1);
        ledger.fund(account.address().value(), 1_000_000_000);
        nodes.add(new Node(d, NodeKey.generate()));
      }
      for (int i = 0; i < nodes.size(); i++) {
        open(i);
      }
      for (int u = 0; u < 6; u++) {
        XrplAccountKey user = XrplAccountKey.generate(u % 3 == 0 ? KeyType.SECP256K1 : KeyType.ED25519);
        ledger.fund(user.address().value(), 50_000_000);
        UserChannel ch = UserChannel.open(user, nodes.get(u % 2).payments.account().address().value(), 20_000_000,
            86_400, Optional.of(clock.instant().plus(Duration.ofDays(30))), ledger.sequence(user.address().value()),
            12);
        assertThat(ledger.submit(ch.createBlob())).isEqualTo("tesSUCCESS");
        users.add(ch);
      }
      ledger.closeLedger();
      initialDrops = ledger.totalDrops();
    }

    final class Node {
      final Path dir;
      final NodeKey key;
      Payments payments;

      Node(Path dir, NodeKey key) {
        this.dir = dir;
        this.key = key;
      }
    }

    void open(int i) {
      Node n = nodes.get(i);
      PayoutTransport t = (peer, request) -> {
        byte[] answer = transport.exchange(peer, request);
        if (duplicatePayout) { // the same message delivered twice: the second answer must change nothing
          duplicatePayout = false;
          transport.exchange(peer, request);
        }
        return answer;
      };
      n.payments = Payments.open(n.dir, n.key, cfg, t, clock);
      n.payments.purchases().sellFrom(Listings.of(catalog));
      transport.register(n.key.publicKey(), n.payments.receiver());
    }

    int run(int steps) throws Exception {
      for (int s = 0; s < steps; s++) {
        step = "seed " + seed + " step " + s;
        act();
        checkInvariants(false);
      }
      step = "seed " + seed + " drain";
      drain();
      checkInvariants(true);
      ledger.validated().forEach(v -> count("validated " + v.type() + " " + v.result()));
      for (Node n : nodes) {
        n.payments.outbox().list().stream().filter(e -> Outbox.FAILED.equals(e.status()))
            .forEach(e -> count("outbox failed " + e.kind()));
      }
      return steps;
    }

    void act() throws Exception {
      int r = rnd.nextInt(100);
      Node x = nodes.get(rnd.nextInt(2));
      if (r < 35) {
        purchase(rnd.nextInt(users.size()), rnd.nextInt(8) == 0);
      } else if (r < 45) {
        for (PayoutService.Payout p : payQuietly(x)) {
          if (!"paid".equals(p.status())) {
            count("payouts " + p.status() + " (" + String.valueOf(p.reason()).replaceAll("[0-9A-F]{64}", "<id>")
                .replaceAll("[0-9]+", "#").replaceAll("r[1-9A-HJ-NP-Za-km-z]{24,34}", "<account>") + ")");
          }
          if ("paid".equals(p.status())) {
            count("payouts paid");
            acked.get(indexOf(p.node())).computeIfAbsent(p.channel(), k -> new HashSet<>()).add(p.cumulative());
          }
        }
      } else if (r < 50) {
        duplicatePayout = true;
        count("duplicate payout deliveries");
      } else if (r < 55) {
        Node other = nodes.get(1 - nodes.indexOf(x));
        quietly(() -> x.payments.payouts().net(other.key.publicKey()));
      } else if (r < 72) {
        x.payments.tick();
      } else if (r < 85) {
        if (stalledFor > 0 && --stalledFor == 0) {
          ledger.stall(false);
        }
        ledger.closeLedgers(1 + rnd.nextInt(3));
        clock.advance(Duration.ofMinutes(1 + rnd.nextInt(40)));
      } else if (r < 88) {
        if (rnd.nextBoolean()) {
          ledger.failNext("PaymentChannelClaim", "tecUNFUNDED_PAYMENT");
          count("fault tec claim");
        } else { // a top-up the account could not pay: the payer must not count on it
          ledger.failNext("PaymentChannelFund", "tecUNFUNDED");
          count("fault tec fund");
        }
      } else if (r < 90) {
        ledger.rejectNext("PaymentChannelClaim", "temMALFORMED");
        count("fault tem");
      } else if (r < 92) {
        ledger.dropNextSubmissions(1);
        count("fault dropped");
      } else if (r < 94) {
        ledger.answerAlreadyNext(1);
        count("fault tefALREADY");
      } else if (r < 96) {
        ledger.stall(true);
        stalledFor = 1 + rnd.nextInt(4);
        count("fault stall");
      } else {
        int i = nodes.indexOf(x);
        x.payments.close();
        open(i);
        count("restarts");
      }
    }

    void purchase(int u, boolean deliverTwice) {
      UserChannel ch = users.get(u);
      int at = u % 2;
      Node platform = nodes.get(at);
      Node server = nodes.get(1 - at);
      Cid cid = work(rnd.nextInt(WORKS));
      long price = catalog.get(cid);
      if (ch.authorised() + price > ch.amount()) {
        return;
      }
      String token = AttributionToken.issue(server.key, cid, "q", clock.instant().minusSeconds(30),
          Duration.ofHours(1)).encode();
      PurchaseService.Request req = new PurchaseService.Request(ch.pay(price), cid, price, token, Optional.empty());
      Receipt first;
      try {
        first = platform.payments.purchases().purchase(req);
        acked.get(at).computeIfAbsent(ch.id(), k -> new HashSet<>()).add(req.claim().drops());
        count("purchases");
      } catch (PaymentRejectedException e) {
        return; // refused (e.g. a token used up): nothing acknowledged
      }
      if (deliverTwice) {
        Receipt again;
        try {
          again = platform.payments.purchases().purchase(req);
        } catch (PaymentRejectedException e) {
          count("duplicate purchases refused");
          assertThat(e.reason()).as(step).isIn(Rejection.REPLAYED, Rejection.TOKEN_REUSED);
          return;
        }
        // Since hubs (issue 21) the same claim for the same sale, sent again after a lost answer, gets that sale's
        // receipt back: never a second sale, never a second acceptance of the claim.
        assertThat(again.saleId()).as(step + ": a purchase delivered twice was accepted twice")
            .isEqualTo(first.saleId());
        count("duplicate purchases answered with their first receipt");
      }
    }

    /** Stops the faults and runs every node until each channel's best claim is the ledger's Balance. */
    void drain() {
      ledger.stall(false);
      for (int round = 0; round < 300 && !settled(); round++) {
        for (Node n : nodes) {
          payQuietly(n);
          n.payments.payee().refreshFromLedger();
          n.payments.settlement().run(true);
          n.payments.tick();
        }
        checkPayerClaims();
        ledger.closeLedger();
        clock.advance(Duration.ofMinutes(5));
      }
    }

    boolean settled() {
      for (Node n : nodes) {
        if (!n.payments.outbox().open().isEmpty()) {
          return false;
        }
        for (var v : n.payments.payee().channels()) {
          Optional<LedgerDouble.Channel> onLedger = ledger.channel(v.terms().id());
          if (v.best() > 0 && (onLedger.isEmpty() || onLedger.get().balance != v.best())) {
            return false;
          }
        }
      }
      return true;
    }

    void checkInvariants(boolean drained) {
      assertThat(ledger.totalDrops()).as(step + ": the ledger double conserves XRP").isEqualTo(initialDrops);
      checkPayerClaims();
      for (int i = 0; i < nodes.size(); i++) {
        Node n = nodes.get(i);
        // no acknowledged claim lost
        for (var e : acked.get(i).entrySet()) {
          Set<Long> journaled = new HashSet<>(n.payments.payee().journal(e.getKey()).stream().map(Claim::drops)
              .toList());
          assertThat(journaled).as(step + ": acknowledged claims on " + e.getKey()).containsAll(e.getValue());
        }
        // every channel's best claim stays settleable until it settles
        for (var v : n.payments.payee().channels()) {
          if (v.best() == 0) {
            continue;
          }
          Optional<LedgerDouble.Channel> onLedger = ledger.channel(v.terms().id());
          if (onLedger.isEmpty() && !v.terms().confirmed() && !DEFECT_1_FIXED && !drained) {
            unconfirmedExposures++;
            continue;
          }
          // A2's scope (issue 17 defect 1): claims accepted on a channel the ledger does not have
          assertThat(onLedger).as(step + ": [defect 1, A2] channel " + v.terms().id() + " with claims up to "
              + v.best() + " is on the ledger").isPresent();
          LedgerDouble.Channel ch = onLedger.get();
          assertThat(ClaimVerifier.verifies(new Claim(v.terms().id(), v.best(), v.bestSignature()),
              PublicKey.fromBase16EncodedPublicKey(ch.publicKey))).as(step + ": best claim verifies").isTrue();
          assertThat(v.best()).as(step + ": best claim fits the channel on the ledger").isLessThanOrEqualTo(ch.amount);
          assertThat(ch.balance).as(step + ": the ledger never paid more than the best claim")
              .isLessThanOrEqualTo(v.best());
          if (drained) {
            assertThat(ch.balance).as(step + ": settled").isEqualTo(v.best());
            assertThat(v.settled()).as(step + ": settled follows the ledger").isEqualTo(ch.balance);
          }
        }
        // no node pays out more than its share of confirmed inflow
        String me = n.payments.account().address().value();
        Set<String> userSources = new HashSet<>();
        users.forEach(u -> userSources.add(u.key().address().value()));
        long inflow = ledger.channels().stream().filter(c -> c.destination.equals(me) && userSources.contains(c.source))
            .mapToLong(c -> drained ? c.balance : Math.max(c.balance, bestOf(n, c.id))).sum();
        long authorisedOut = n.payments.payouts().history(100_000).stream()
            .filter(p -> "paid".equals(p.status())).mapToLong(PayoutService.Payout::amount).sum();
        assertThat(authorisedOut).as(step + ": node " + i + " pays out no more than its share of confirmed inflow")
            .isLessThanOrEqualTo(inflow * SHARE_BPS / 10_000);
        // no transaction validates twice: each validated transaction of this account is a blob one of its outbox
        // rows sent, no row has two, and once drained the rows that used a Sequence are exactly those on the ledger
        List<LedgerDouble.Validated> mine = ledger.validated().stream().filter(v -> v.account().equals(me)).toList();
        Map<String, Long> sent = submissions(n);
        assertThat(mine).as(step + ": node " + i + " validated only what its outbox sent")
            .allMatch(v -> sent.containsKey(v.hash()));
        Map<Long, Long> perRow = new HashMap<>();
        mine.forEach(v -> perRow.merge(sent.get(v.hash()), 1L, Long::sum));
        assertThat(perRow.values()).as(step + ": no outbox row of node " + i + " validated twice")
            .allMatch(c -> c == 1);
        if (drained) {
          long rowsThatUsedASequence = n.payments.outbox().list().stream()
              .filter(e -> Outbox.VALIDATED.equals(e.status())
                  || Outbox.FAILED.equals(e.status()) && e.result() != null && e.result().startsWith("tec")).count();
          assertThat((long) mine.size()).as(step + ": node " + i + "'s final rows are what the ledger validated")
              .isEqualTo(rowsThatUsedASequence);
        }
      }
    }

    /**
     * No claim a payer signs exceeds its channel's validated amount: checked after every step, while the ledger is
     * as it was when the step signed (only ledger closes change it, and they sign nothing).
     */
    void checkPayerClaims() {
      ledger.channels().forEach(c -> validatedAmount.merge(c.id, c.amount, Math::max));
      for (int i = 0; i < nodes.size(); i++) {
        for (var v : nodes.get(i).payments.payer().channels()) {
          if (v.authorised() > 0) {
            count("payer channels checked");
          }
          assertThat(v.authorised()).as(step + ": node " + i + " signed claims on " + v.terms().id()
              + " within its validated amount").isLessThanOrEqualTo(validatedAmount.getOrDefault(v.terms().id(), 0L));
        }
      }
    }

    long bestOf(Node n, String channel) {
      return n.payments.payee().channel(channel).map(v -> v.best()).orElse(0L);
    }

    /** Every blob node {@code n}'s outbox sent: hash → outbox row. */
    Map<String, Long> submissions(Node n) {
      Map<String, Long> out = new HashMap<>();
      n.payments.db().read(c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT hash, outbox_id FROM submissions");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getLong(2));
          }
        }
        return null;
      });
      return out;
    }

    int indexOf(String nodeKeyHex) {
      for (int i = 0; i < nodes.size(); i++) {
        if (nodes.get(i).key.publicKey().hex().equals(nodeKeyHex)) {
          return i;
        }
      }
      throw new AssertionError("unknown node " + nodeKeyHex);
    }

    interface Call<T> {
      T call() throws Exception;
    }

    /** Payout and netting calls fail when the peer cannot be reached or refuses: that is part of the game. */
    static <T> T quietly(Call<T> c) {
      try {
        return c.call();
      } catch (Exception e) {
        return null;
      }
    }

    List<PayoutService.Payout> payQuietly(Node n) {
      List<PayoutService.Payout> r = quietly(() -> n.payments.payouts().runDue());
      return r == null ? List.of() : r;
    }

    @Override
    public void close() {
      for (Node n : nodes) {
        n.payments.close();
      }
      ledger.close();
    }
  }
}
