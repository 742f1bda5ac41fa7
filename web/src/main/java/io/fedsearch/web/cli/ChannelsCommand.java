package io.fedsearch.web.cli;

import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.watch.ChannelMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedsearch channels list}: every channel the node pays into or is paid through, with metrics. */
@Command(name = "channels", mixinStandardHelpOptions = true, description = "Payment channels.",
    subcommands = {ChannelsCommand.ListChannels.class})
public final class ChannelsCommand {
  /** The JSON form of one channel's metrics (also what /api/channels should return). */
  public static Map<String, Object> toJson(ChannelMetrics m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", m.id());
    o.put("role", m.role());
    o.put("status", m.status());
    o.put("confirmed_on_ledger", m.confirmed());
    o.put("counterparty", m.counterparty());
    o.put("amount", m.amount());
    o.put("used", m.used());
    o.put("remaining", m.remaining());
    o.put("spend_rate_drops_per_s", Math.round(m.spendRate() * 100) / 100.0);
    o.put("time_to_exhaustion_s", m.timeToExhaustion().map(d -> (Object) d.toSeconds()).orElse(null));
    o.put("unsettled", m.unsettled());
    o.put("expires_at", m.expiresAt().map(Object::toString).orElse(null));
    o.put("warnings", m.warnings());
    return o;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List channels with their metrics.")
  static final class ListChannels implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Node directory.")
    Path dir;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (Payments p = PaymentsCli.open(dir, null)) {
        List<ChannelMetrics> all = p.monitor().all();
        if (json) {
          List<Object> out = new ArrayList<>();
          all.forEach(m -> out.add(toJson(m)));
          PaymentsCli.printJson(out);
          return 0;
        }
        if (all.isEmpty()) {
          System.out.println("no channels");
        }
        for (ChannelMetrics m : all) {
          System.out.printf("%s %-5s %-11s used %d of %d (unsettled %d)%s%n", m.id(), m.role(), m.status(),
              m.used(), m.amount(), m.unsettled(), m.warnings().isEmpty() ? "" : "  ! " + String.join("; ",
                  m.warnings()));
        }
      }
      return 0;
    }
  }
}
