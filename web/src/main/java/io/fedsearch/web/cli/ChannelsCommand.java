package io.fedsearch.web.cli;

import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.watch.ChannelMetrics;
import io.fedsearch.web.http.PaymentsJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedsearch channels list}: every channel the node pays into or is paid through, with metrics. */
@Command(name = "channels", mixinStandardHelpOptions = true, description = "Payment channels.",
    subcommands = {ChannelsCommand.ListChannels.class})
public final class ChannelsCommand {
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List channels with their metrics.")
  static final class ListChannels implements Callable<Integer> {
    @Mixin
    NodeDirOption nodeDir;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() throws Exception {
      try (Payments p = PaymentsCli.open(nodeDir.dir(), null)) {
        List<ChannelMetrics> all = p.monitor().all();
        if (output.json()) {
          List<Object> out = new ArrayList<>();
          all.forEach(m -> out.add(PaymentsJson.channel(m)));
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
