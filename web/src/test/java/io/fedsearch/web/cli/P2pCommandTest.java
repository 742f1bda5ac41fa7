package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.core.keys.NodeKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class P2pCommandTest {
  @Test
  void pingPrintsRttAndIdentifyAsJson() throws Exception {
    try (Host target = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build()) {
      target.addProtocolHandler("/fedsearch/x/1.0.0", s -> { });
      target.start();
      String out = run("p2p", "ping", target.listenAddresses().get(0).toString(), "--json", "--count", "2");
      JsonNode r = new ObjectMapper().readTree(out);
      assertThat(r.path("peerId").asText()).isEqualTo(target.peerId().toString());
      assertThat(r.path("rttMs")).hasSize(2);
      assertThat(r.path("identify").path("agentVersion").asText()).isEqualTo(Host.AGENT);
      assertThat(r.path("identify").path("protocols").toString()).contains("/fedsearch/x/1.0.0");
    }
  }

  @Test
  void unreachablePeerFailsWithOneLine() {
    StringWriter err = new StringWriter();
    var cl = FedsearchCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("p2p", "ping", "/ip4/300.0.0.1/tcp/1");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("invalid multiaddr");
  }

  static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertThat(FedsearchCommand.commandLine().execute(args)).isZero();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
