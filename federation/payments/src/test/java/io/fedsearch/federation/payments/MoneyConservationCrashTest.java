package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.keys.NodeKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * The SIGKILL part of the money-conservation property ({@link MoneyConservationPropertyTest} restarts in-process): a
 * payee with a ledger configured runs in a child JVM ({@link LedgerPayeeProcess}) and takes a random, seeded stream
 * of claims, settlement ticks, ledger closes and submission faults from the {@link LedgerDouble}; it is killed with
 * SIGKILL at a random point with claims and transactions in flight. Reopened, it loses no acknowledged claim, its
 * settlement reaches the ledger (each channel's Balance equals its best claim), and no transaction validated twice.
 */
@Timeout(600)
class MoneyConservationCrashTest {
  static final long[] SEEDS = {1, 2};

  @TempDir Path dir;

  static PaymentsConfig config(String ledgerUrl) {
    return PaymentsConfig.defaults().withRippledUrl(ledgerUrl).withKeyType(KeyType.SECP256K1)
        .withSettlement(20_000, Duration.ofHours(6), Duration.ofHours(12));
  }

  @Test
  void nothingAcknowledgedIsLostAndNothingValidatesTwiceAcrossSigkill() throws Exception {
    for (long seed : SEEDS) {
      run(dir.resolve("seed" + seed), seed);
    }
    System.out.printf("money conservation under SIGKILL: %d interleavings (seeds %s)%n", SEEDS.length,
        java.util.Arrays.toString(SEEDS));
  }

  void run(Path node, long seed) throws Exception {
    Random rnd = new Random(seed);
    Clock clock = Clock.systemUTC();
    try (LedgerDouble ledger = new LedgerDouble(clock)) {
      XrplAccountKey account = XrplAccountKey.loadOrCreate(node, KeyType.SECP256K1);
      NodeKey.loadOrCreate(node);
      String me = account.address().value();
      ledger.fund(me, 100_000_000);
      List<UserChannel> channels = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        XrplAccountKey user = XrplAccountKey.generate(i == 0 ? KeyType.SECP256K1 : KeyType.ED25519);
        ledger.fund(user.address().value(), 50_000_000);
        UserChannel ch = UserChannel.open(user, me, 20_000_000, 86_400,
            Optional.of(clock.instant().plus(Duration.ofDays(30))), ledger.sequence(user.address().value()), 12);
        assertThat(ledger.submit(ch.createBlob())).isEqualTo("tesSUCCESS");
        channels.add(ch);
      }
      ledger.closeLedger();
      long initial = ledger.totalDrops();

      String javaBin = ProcessHandle.current().info().command().orElse("java");
      Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
          LedgerPayeeProcess.class.getName(), node.toString(), ledger.url())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      PrintWriter toChild = new PrintWriter(new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("READY " + me);
      List<String> acked = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger ticks = new AtomicInteger();
      Thread reader = new Thread(() -> {
        try {
          for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("ACK ")) {
              acked.add(line.substring(4));
            } else if (line.equals("TICKED")) {
              ticks.incrementAndGet();
            }
          }
        } catch (IOException e) {
          // the child died: expected
        }
      });
      reader.start();
      int wantAcks = 150 + rnd.nextInt(300);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while ((acked.size() < wantAcks || ticks.get() < 3) && System.nanoTime() < deadline) {
        int r = rnd.nextInt(100);
        if (r < 80) {
          UserChannel ch = channels.get(rnd.nextInt(channels.size()));
          Claim c = ch.pay(1 + rnd.nextInt(5_000));
          toChild.println("CLAIM " + c.channel() + " " + c.drops() + " " + c.signature());
        } else if (r < 88) {
          toChild.println("TICK");
        } else if (r < 95) {
          ledger.closeLedger();
        } else if (r < 97) {
          ledger.failNext("PaymentChannelClaim", "tecUNFUNDED_PAYMENT");
        } else if (r < 98) {
          ledger.dropNextSubmissions(1);
        } else if (r < 99) {
          ledger.answerAlreadyNext(1);
        } else {
          ledger.rejectNext("PaymentChannelClaim", "temMALFORMED");
        }
        toChild.flush();
        if (r >= 80 && r < 88) {
          Thread.sleep(5); // let a tick overlap the claims that follow it
        }
      }
      Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as("seed " + seed + ": killed").isEqualTo(137);
      reader.join(10_000);
      assertThat(ticks.get()).as("seed " + seed + ": settlement ran before the kill").isGreaterThanOrEqualTo(1);

      try (Payments p = Payments.open(node, NodeKey.load(node), config(ledger.url()), PayoutTransport.unavailable(),
          clock)) {
        Map<String, Set<Long>> journaled = new HashMap<>();
        for (UserChannel ch : channels) {
          journaled.put(ch.id(), new HashSet<>(p.payee().journal(ch.id()).stream().map(Claim::drops).toList()));
        }
        for (String a : acked) {
          String[] f = a.split(" ");
          assertThat(journaled.get(f[0])).as("seed " + seed + ": acknowledged claim " + a + " survives SIGKILL")
              .contains(Long.parseLong(f[1]));
        }
        for (int round = 0; round < 100 && !settled(p, ledger, channels); round++) {
          p.settlement().run(true);
          p.tick();
          ledger.closeLedger();
        }
        for (UserChannel ch : channels) {
          var v = p.payee().channel(ch.id()).orElseThrow();
          assertThat(ledger.channel(ch.id()).orElseThrow().balance)
              .as("seed " + seed + ": channel settles at its best claim").isEqualTo(v.best());
          assertThat(v.settled()).isEqualTo(v.best());
        }
        assertThat(p.outbox().open()).as("seed " + seed + ": nothing stalls").isEmpty();
        Map<String, Long> sent = new HashMap<>();
        p.db().read(c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT hash, outbox_id FROM submissions");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              sent.put(rs.getString(1), rs.getLong(2));
            }
          }
          return null;
        });
        List<LedgerDouble.Validated> mine = ledger.validated().stream().filter(v -> v.account().equals(me)).toList();
        assertThat(mine).as("seed " + seed + ": validated only what the outbox sent")
            .allMatch(v -> sent.containsKey(v.hash()));
        Map<Long, Long> perRow = new HashMap<>();
        mine.forEach(v -> perRow.merge(sent.get(v.hash()), 1L, Long::sum));
        assertThat(perRow.values()).as("seed " + seed + ": no row validated twice").allMatch(c -> c == 1);
        long finalRows = p.outbox().list().stream().filter(e -> Outbox.VALIDATED.equals(e.status())
            || Outbox.FAILED.equals(e.status()) && e.result() != null && e.result().startsWith("tec")).count();
        assertThat((long) mine.size()).isEqualTo(finalRows);
        assertThat(ledger.totalDrops()).as("seed " + seed + ": the double conserves XRP").isEqualTo(initial);
      }
    }
  }

  static boolean settled(Payments p, LedgerDouble ledger, List<UserChannel> channels) {
    if (!p.outbox().open().isEmpty()) {
      return false;
    }
    for (UserChannel ch : channels) {
      var v = p.payee().channel(ch.id());
      if (v.isPresent() && ledger.channel(ch.id()).orElseThrow().balance != v.get().best()) {
        return false;
      }
    }
    return true;
  }
}
