package io.fedsearch.web.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.protocol.PeerProbe;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fedsearch p2p …}: libp2p tools. */
@Command(name = "p2p", mixinStandardHelpOptions = true, description = "libp2p tools.",
    subcommands = {P2pCommand.Ping.class})
public final class P2pCommand {
  /** {@code fedsearch p2p ping MULTIADDR [--json]}. */
  @Command(name = "ping", mixinStandardHelpOptions = true,
      description = "Dial any libp2p peer (TCP + Noise + yamux), ping it and show what identify returned.")
  static final class Ping implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MULTIADDR", description = "e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…")
    String address;

    @Option(names = "--count", defaultValue = "3", description = "Pings to send (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--timeout", defaultValue = "10", description = "Seconds per step (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() throws Exception {
      if (count < 1 || count > 1000) {
        throw new IllegalArgumentException("--count must be 1..1000");
      }
      PeerProbe.Result r = PeerProbe.probe(Multiaddr.parse(address), count, Duration.ofSeconds(timeoutSeconds));
      if (output.json()) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode().put("peerId", r.peerId().toString())
            .put("address", r.address().toString()).put("earlyMuxer", r.earlyMuxer())
            .put("setupMs", r.setup().toNanos() / 1e6);
        r.rtts().forEach(d -> o.withArray("rttMs").add(d.toNanos() / 1e6));
        ObjectNode id = o.putObject("identify").put("agentVersion", r.identify().agentVersion())
            .put("protocolVersion", r.identify().protocolVersion())
            .put("observedAddr", r.identify().observedAddr() == null ? null : r.identify().observedAddr().toString());
        r.identify().listenAddrs().forEach(a -> id.withArray("listenAddrs").add(a.toString()));
        r.identify().protocols().forEach(p -> id.withArray("protocols").add(p));
        System.out.println(m.writeValueAsString(o));
      } else {
        System.out.printf("peer %s at %s (connected in %.2f ms, early muxer %s)%n", r.peerId(), r.address(),
            r.setup().toNanos() / 1e6, r.earlyMuxer() ? "yes" : "no");
        for (int i = 0; i < r.rtts().size(); i++) {
          System.out.printf("ping %d: %.3f ms%n", i + 1, r.rtts().get(i).toNanos() / 1e6);
        }
        System.out.println("agent: " + r.identify().agentVersion() + " (" + r.identify().protocolVersion() + ")");
        System.out.println("listen addresses: " + r.identify().listenAddrs());
        System.out.println("observed us at: " + r.identify().observedAddr());
        System.out.println("protocols: " + String.join(", ", r.identify().protocols()));
      }
      return 0;
    }
  }
}
