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
 * {@code fedsearch bench hostile}'s refusals; its smoke run (six honest nodes, every attack for a second) is in
 * {@link BenchSmokeTest} with every other bench's.
 */
@Timeout(300)
class BenchHostileCommandTest {
  @Test
  void unknownAttackIsNamed() {
    int code = FedsearchCommand.commandLine().execute("bench", "hostile", "--attacks", "meteor", "--phase-s", "1");
    assertThat(code).isNotZero();
  }
}
