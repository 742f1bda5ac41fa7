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
 * A payee with a ledger configured, in its own JVM, for {@link MoneyConservationCrashTest}: {@code args} are the node
 * directory and the ledger double's URL. Reads commands on stdin ({@code CLAIM channel drops signature} accepted
 * asynchronously, {@code ACK channel drops} printed only once durable; {@code TICK} runs the node's periodic work:
 * ledger refresh, settlement, submission) until it is killed. Test code only.
 */
public final class LedgerPayeeProcess {
  private LedgerPayeeProcess() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Payments p = Payments.open(dir, NodeKey.loadOrCreate(dir), MoneyConservationCrashTest.config(args[1]),
        PayoutTransport.unavailable(), Clock.systemUTC());
    say(out, "READY " + p.account().address().value());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] f = line.split(" ");
      if (f[0].equals("CLAIM")) {
        Claim c = new Claim(f[1], Long.parseLong(f[2]), f[3]);
        p.payee().acceptAsync(c, 0, null).whenComplete((ok, err) ->
            say(out, err == null ? "ACK " + c.channel() + " " + c.drops() : "NACK " + err.getMessage()));
      } else if (f[0].equals("TICK")) {
        p.tick();
        say(out, "TICKED");
      }
    }
    p.close();
  }

  private static void say(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
