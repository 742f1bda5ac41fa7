package io.fedsearch.web.cli;

import io.fedsearch.web.http.PaymentsJson;
import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.ledger.Submitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedsearch outbox list|submit}: signed ledger transactions waiting, and sending them to rippled. */
@Command(name = "outbox", mixinStandardHelpOptions = true, description = "Signed ledger transactions.",
    subcommands = {OutboxCommand.ListOutbox.class, OutboxCommand.Submit.class})
public final class OutboxCommand {
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List outbox transactions with hashes.")
  static final class ListOutbox implements Callable<Integer> {
    @Mixin
    NodeDirOption nodeDir;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() throws Exception {
      try (Payments p = PaymentsCli.open(nodeDir.dir(), null)) {
        List<Outbox.Entry> all = p.outbox().list();
        if (output.json()) {
          List<Object> out = new ArrayList<>();
          all.forEach(e -> out.add(PaymentsJson.outboxEntry(e)));
          PaymentsCli.printJson(out);
          return 0;
        }
        if (all.isEmpty()) {
          System.out.println("outbox is empty");
        }
        for (Outbox.Entry e : all) {
          System.out.printf("%d %-6s %-9s %s fee %d seq %d%s%n", e.id(), e.kind(), e.status(), e.hash(), e.fee(),
              e.sequence(), e.result() == null ? "" : " (" + e.result() + ")");
        }
        if (p.config().rippledUrl().isEmpty() && !p.outbox().open().isEmpty()) {
          System.out.println("no rippled URL configured: these wait until one is (node.json payments.rippled_url)");
        }
      }
      return 0;
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = "Send open outbox transactions to rippled and follow them to finality.")
  static final class Submit implements Callable<Integer> {
    @Mixin
    NodeDirOption nodeDir;

    @Option(names = "--rippled", description = "rippled JSON-RPC URL (default: node.json payments.rippled_url).")
    String rippled;

    @Option(names = "--wait", defaultValue = "60", description = "Seconds to follow transactions (default 60).")
    int waitSeconds;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() throws Exception {
      try (Payments p = PaymentsCli.open(nodeDir.dir(), rippled)) {
        Submitter s = p.submitter().orElseThrow(() -> new IllegalStateException(
            "no rippled URL configured (node.json payments.rippled_url or --rippled); "
                + p.outbox().open().size() + " transaction(s) wait in the outbox"));
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        List<String> notes = new ArrayList<>();
        for (int round = 0; round < 10_000 && !p.outbox().open().isEmpty() && System.nanoTime() < deadline;
            round++) {
          Submitter.Round r = s.runOnce();
          notes.addAll(r.notes());
          Thread.sleep(2_000); // a ledger closes every 3-5 s
        }
        List<Object> rows = new ArrayList<>();
        p.outbox().list().forEach(e -> rows.add(PaymentsJson.outboxEntry(e)));
        if (output.json()) {
          PaymentsCli.printJson(Map.of("outbox", rows, "notes", notes));
        } else {
          notes.forEach(System.out::println);
          for (Outbox.Entry e : p.outbox().list()) {
            System.out.printf("%d %-6s %-9s %s%s%n", e.id(), e.kind(), e.status(), e.hash(),
                e.result() == null ? "" : " (" + e.result() + ")");
          }
        }
        return p.outbox().open().isEmpty() ? 0 : 2;
      }
    }
  }
}
