package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code fedsearch bench hostile} end to end, short: six honest nodes, every attack for a second. Checks that each
 * attack ran and every figure is reported; what the figures are is the bench's to say, not a test's.
 */
@Timeout(300)
class BenchHostileCommandTest {
  @Test
  void reportsEveryAttack() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int code;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      code = FedsearchCommand.commandLine().execute("bench", "hostile", "--nodes", "6", "--entries", "30",
          "--phase-s", "1", "--deadline-ms", "2000", "--concurrency", "2", "--json");
    } finally {
      System.setOut(old);
    }
    assertThat(code).isZero();
    String text = buf.toString(StandardCharsets.UTF_8);
    JsonNode out = new ObjectMapper().readTree(text.substring(text.indexOf('{')));
    assertThat(out.get("nodes").asInt()).isEqualTo(6);
    assertThat(out.get("undisturbed").get("searches").asInt()).isPositive();
    assertThat(out.get("undisturbed").get("success_rate").asDouble()).isPositive();
    assertThat(out.get("attacks")).hasSize(6);
    for (JsonNode a : out.get("attacks")) {
      assertThat(a.get("attack").asText()).isNotBlank();
      assertThat(a.get("during").get("searches").asInt()).as(a.get("attack").asText()).isPositive();
      assertThat(a.get("during").get("success_rate").asDouble()).isBetween(0.0, 1.0);
      assertThat(a.has("p99_ratio") && a.has("heap_growth_mib") && a.has("recovery_ms")).isTrue();
    }
  }

  @Test
  void unknownAttackIsNamed() {
    int code = FedsearchCommand.commandLine().execute("bench", "hostile", "--attacks", "meteor", "--phase-s", "1");
    assertThat(code).isNotZero();
  }
}
