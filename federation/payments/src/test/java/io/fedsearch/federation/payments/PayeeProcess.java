package io.fedsearch.federation.payments;

import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.core.keys.NodeKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A payee in its own JVM for {@link PayeeCrashTest}: reads commands on stdin ({@code CREATE blob},
 * {@code CLAIM channel drops signature}), accepts claims asynchronously (so many share a group commit) and prints
 * {@code ACK channel drops} only once a claim is durable. Test code only.
 */
public final class PayeeProcess {
  private PayeeProcess() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Payments p = Payments.open(dir, NodeKey.loadOrCreate(dir), PaymentsConfig.defaults(),
        PayoutTransport.unavailable(), Clock.systemUTC());
    synchronized (out) {
      out.println("READY " + p.account().address().value());
      out.flush();
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] f = line.split(" ");
      if (f[0].equals("CREATE")) {
        p.payee().learnChannel(f[1], null);
        synchronized (out) {
          out.println("CREATED");
          out.flush();
        }
      } else if (f[0].equals("CLAIM")) {
        Claim c = new Claim(f[1], Long.parseLong(f[2]), f[3]);
        p.payee().acceptAsync(c, 0, null).whenComplete((ok, err) -> {
          synchronized (out) {
            out.println(err == null ? "ACK " + c.channel() + " " + c.drops() : "NACK " + err.getMessage());
            out.flush();
          }
        });
      }
    }
    p.close();
  }
}
