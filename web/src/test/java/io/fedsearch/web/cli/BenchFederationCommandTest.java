package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedsearch bench federation}'s refusals; its smoke run is in {@link BenchSmokeTest} with every other
 * bench's.
 */
@Timeout(60)
class BenchFederationCommandTest {
  @TempDir Path dir;

  @Test
  void aWarmUpThatIsNeitherAutoNorACountIsRefusedByName() throws Exception {
    Path data = Files.writeString(dir.resolve("data.jsonl"), "");
    Path queries = Files.writeString(dir.resolve("queries.jsonl"), "");
    for (String warmUp : new String[] {"soon", "-1", "-3"}) {
      CliRun r = CliRun.of("bench", "federation", "--data", data.toString(), "--queries", queries.toString(),
          "--warmup", warmUp);
      assertThat(r.exit()).as(warmUp).isNotZero();
      assertThat(r.err()).as(warmUp).contains("--warmup: must be auto or a number of passes, got " + warmUp);
    }
  }
}
