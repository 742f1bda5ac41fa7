package io.fedsearch.bench.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The benchmark's Java↔Java leg end to end with small sizes (timings are reported, never asserted). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class P2pBenchTest {
  @Test
  void javaLegReportsSetupPingAndThroughput() throws Exception {
    JsonNode r = P2pBench.run(new P2pBench.Options(3, 5, 1 << 20, 200, true, Optional.empty()));
    JsonNode jj = r.path("javaJava");
    assertThat(jj.path("setupMs").path("n").asInt()).isEqualTo(3);
    assertThat(jj.path("pingMs").path("n").asInt()).isEqualTo(5);
    assertThat(jj.path("throughputMBps").asDouble()).isPositive();
    JsonNode calls = r.path("javaJavaCalls");
    // measured in whole runs of 200 until they have used enough CPU for the process clock to read
    assertThat(calls.path("calls").asInt()).isPositive().isEqualTo(calls.path("calls").asInt() / 200 * 200);
    assertThat(calls.path("cpuUsPerCall").asDouble()).isPositive();
    assertThat(calls.path("wallUsPerCall").asDouble()).isPositive();
    JsonNode raw = r.path("rawSocketCalls");
    assertThat(raw.path("calls").asInt()).isPositive().isEqualTo(raw.path("calls").asInt() / 200 * 200);
    assertThat(raw.path("cpuUsPerCall").asDouble()).isPositive();
    assertThat(r.path("callCpu_over_rawSocket").asDouble()).isPositive();
    assertThat(r.path("js").asText()).startsWith("skipped");
  }
}
