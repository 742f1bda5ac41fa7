package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.web.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them: arguments in, exit code and printed lines out. */
class CliTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void cidPrintsOneLinePerEntryWithTheBlock(@TempDir Path tmp) throws Exception {
    String good = "{\"platform\":\"npm\",\"id\":\"a\",\"title\":\"A\",\"popularity\":5}";
    Path file = tmp.resolve("e.jsonl");
    Files.writeString(file, good + "\n{\"platform\":\"npm\",\"id\":\"b\",\"title\":\"B\",\"price\":-1}\n" + good + "\n");
    CliRun r = run("cid", "--json", file.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains(":2: price:");
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode j = Json.MAPPER.readTree(lines.get(0));
    Entry e = new EntryParser(null).parse(good);
    assertThat(j.get("cid").asText()).isEqualTo(e.cid().toString());
    byte[] block = HexFormat.of().parseHex(j.get("block").asText());
    assertThat(Cid.ofDagCbor(block)).isEqualTo(e.cid());
    assertThat(run("cid", file.toString()).out().lines().toList()).containsExactly(e.cid().toString(), e.cid().toString());
  }

  @Test
  void initImportAndReimport(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("n");
    assertThat(run("node", "init", "--dir", dir.toString(), "--platform", "shop").exit()).isZero();
    CliRun again = run("node", "init", "--dir", dir.toString(), "--platform", "shop");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already a node directory");
    Path file = tmp.resolve("e.jsonl");
    Files.writeString(file, "{\"id\":\"1\",\"title\":\"One\"}\n{\"id\":\"2\",\"title\":\"Two\"}\n");
    CliRun imp = run("import", "--dir", dir.toString(), "--json", file.toString());
    assertThat(imp.exit()).isZero();
    assertThat(Json.MAPPER.readTree(imp.out()).get("added").asInt()).isEqualTo(2);
    Files.writeString(file, "{\"id\":\"1\",\"title\":\"One\"}\n{\"id\":\"3\",\"title\":\"\"}\n");
    CliRun bad = run("import", "--dir", dir.toString(), file.toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("e.jsonl:2: title: must not be empty");
    assertThat(bad.out()).contains("1 unchanged").contains("1 rejected");
    assertThat(run("import", "--dir", tmp.resolve("nope").toString(), file.toString()).err())
        .contains("not a node directory");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] cmd : List.of(new String[] {"--help"}, new String[] {"node", "start", "--help"},
        new String[] {"import", "--help"}, new String[] {"search", "--help"}, new String[] {"bench", "indexer", "--help"})) {
      CliRun r = run(cmd);
      assertThat(r.exit()).isZero();
      assertThat(r.out()).contains("Usage:");
    }
  }
}
