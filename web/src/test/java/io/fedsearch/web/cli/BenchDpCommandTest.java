package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedsearch bench dp} end to end on a small generated catalog: BM25 candidates, releases, JSON figures. */
@Timeout(120)
class BenchDpCommandTest {
  @TempDir Path dir;

  @Test
  void printsFiguresPerEpsilon() throws Exception {
    String[] words = {"parser", "color", "terminal", "string", "glob", "version", "debug", "stream", "buffer", "path"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String desc = words[i % 10] + " " + words[(i / 10) % 10] + " utility number " + i;
      lines.add("{\"platform\":\"npm\",\"id\":\"pkg" + i + "\",\"title\":\"pkg" + i + "\",\"description\":\"" + desc
          + "\",\"creator\":\"\",\"tags\":[],\"url\":\"\",\"popularity\":" + (10_000_000L / (i + 1)) + "}");
    }
    Path data = Files.write(dir.resolve("d.jsonl"), lines);
    Path queries = Files.write(dir.resolve("q.jsonl"), List.of("{\"query\":\"parser color\"}",
        "{\"query\":\"terminal stream\"}", "{\"query\":\"glob utility\"}"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int code;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      code = FedsearchCommand.commandLine().execute("bench", "dp", "--data", data.toString(), "--queries",
          queries.toString(), "--epsilon", "0.5,2", "--payments", "50000", "--epochs", "4", "--json");
    } finally {
      System.setOut(old);
    }
    assertThat(code).isZero();
    JsonNode out = new ObjectMapper().readTree(buf.toString(StandardCharsets.UTF_8));
    assertThat(out.get("entries").asInt()).isEqualTo(400);
    assertThat(out.get("queries").asInt()).isEqualTo(3);
    assertThat(out.get("results")).hasSize(2);
    for (JsonNode r : out.get("results")) {
      assertThat(r.get("ndcg10").asDouble()).isBetween(0.0, 1.0);
      assertThat(r.get("released_fraction").asDouble()).isBetween(0.0, 1.0);
      assertThat(r.get("releases_per_s").asDouble()).isPositive();
      assertThat(r.get("released_fraction_creators").asDouble()).isBetween(0.0, 1.0);
      assertThat(r.get("released_volume_fraction").asDouble()).isBetween(0.0, 1.0);
      assertThat(r.get("ndcg10_by_epoch").has("4")).isTrue();
    }
    assertThat(out.get("epochs").asInt()).isEqualTo(4);
    assertThat(out.get("creators").asText()).isEqualTo("synthetic");
    assertThat(out.get("results").get(1).get("threshold").asLong())
        .isLessThan(out.get("results").get(0).get("threshold").asLong());
  }

  @Test
  void badEpsilonIsNamed() throws Exception {
    Path data = Files.writeString(dir.resolve("d.jsonl"),
        "{\"platform\":\"npm\",\"id\":\"a\",\"title\":\"a\",\"description\":\"x\",\"popularity\":5}\n");
    Path queries = Files.writeString(dir.resolve("q.jsonl"), "{\"query\":\"x\"}\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    var cl = FedsearchCommand.commandLine();
    cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    int code = cl.execute("bench", "dp", "--data", data.toString(), "--queries", queries.toString(), "--epsilon", "0");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("privacy.epsilon must be > 0");
  }
}
