package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * The payee runs in a child JVM and is killed with SIGKILL in the middle of a stream of claims. After a restart
 * every claim it acknowledged is in the journal, the best claim per channel is at least the best acknowledged,
 * and it settles: the PaymentChannelClaim in the outbox verifies with xrpl.js.
 */
@Timeout(180)
class PayeeCrashTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedClaimSurvivesSigkill() throws Exception {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        PayeeProcess.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter toChild = new PrintWriter(new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8));
    String ready = in.readLine();
    assertThat(ready).startsWith("READY ");
    String payeeAddress = ready.substring(6);
    List<UserChannel> channels = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      UserChannel ch = UserChannel.open(XrplAccountKey.generate(i % 2 == 0 ? KeyType.ED25519 : KeyType.SECP256K1),
          payeeAddress, 1_000_000_000, 86_400, Optional.empty(), 1, 12);
      channels.add(ch);
      toChild.println("CREATE " + ch.createBlob());
      toChild.flush();
      assertThat(in.readLine()).isEqualTo("CREATED");
    }
    Map<String, Long> bestAcked = new ConcurrentHashMap<>();
    List<String> acked = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger acks = new AtomicInteger();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("ACK ")) {
            String[] f = line.split(" ");
            acked.add(f[1] + " " + f[2]);
            bestAcked.merge(f[1], Long.parseLong(f[2]), Math::max);
            acks.incrementAndGet();
          }
        }
      } catch (IOException e) {
        // the child died: expected
      }
    });
    reader.start();
    // stream claims until a few hundred are acknowledged, then kill -9 with more in flight
    Map<String, Claim> lastSent = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    int sent = 0;
    while (acks.get() < 300 && System.nanoTime() < deadline && sent < 200_000) {
      UserChannel ch = channels.get(sent % channels.size());
      Claim c = ch.pay(1 + sent % 7);
      lastSent.put(ch.id(), c);
      toChild.println("CLAIM " + c.channel() + " " + c.drops() + " " + c.signature());
      if (++sent % 20 == 0) {
        toChild.flush();
      }
    }
    toChild.flush();
    long pid = child.pid();
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL
    reader.join(10_000);
    assertThat(acks.get()).as("claims acknowledged before the kill").isGreaterThanOrEqualTo(20);
    assertThat(sent).isGreaterThan(acks.get()); // claims were in flight when it died

    try (Payments restarted = Payments.open(dir, NodeKey.load(dir), PaymentsConfig.defaults(),
        PayoutTransport.unavailable(), Clock.systemUTC())) {
      for (UserChannel ch : channels) {
        List<Long> journaled = restarted.payee().journal(ch.id()).stream().map(Claim::drops).toList();
        for (String a : acked) {
          String[] f = a.split(" ");
          if (f[0].equals(ch.id())) {
            assertThat(journaled).as("acknowledged claim " + a).contains(Long.parseLong(f[1]));
          }
        }
        long best = restarted.payee().channel(ch.id()).orElseThrow().best();
        assertThat(best).isGreaterThanOrEqualTo(bestAcked.getOrDefault(ch.id(), 0L));
        assertThat(best).isEqualTo(journaled.get(journaled.size() - 1));
      }
      // the best claim of every channel is settleable: the outbox claim verifies with xrpl.js
      assertThat(restarted.settlement().run(true)).hasSize(channels.size());
      List<Map<String, Object>> checks = new ArrayList<>();
      for (Outbox.Entry e : restarted.outbox().list()) {
        checks.add(XrplJs.tx(e.blob()));
      }
      for (UserChannel ch : channels) {
        var v = restarted.payee().channel(ch.id()).orElseThrow();
        checks.add(XrplJs.claim(ch.id(), v.best(), v.bestSignature(), ch.key().publicKey().base16Value()));
      }
      List<JsonNode> res = XrplJs.run(checks);
      assertThat(res).allSatisfy(r -> assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue());
      assertThat(res.subList(0, channels.size()))
          .allSatisfy(r -> assertThat(r.path("type").asText()).isEqualTo("PaymentChannelClaim"));
    }
  }
}
