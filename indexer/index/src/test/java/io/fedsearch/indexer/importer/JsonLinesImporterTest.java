package io.fedsearch.indexer.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryIndex;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesImporterTest {
  private final NodeKey key = NodeKey.generate();

  private static ImportReport run(JsonLinesImporter imp, String text) {
    return imp.run(new BufferedReader(new StringReader(text)), "test", JsonLinesImporter.Progress.NONE);
  }

  @Test
  void reportsBadLinesByNumberAndKeepsTheGoodOnes(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      JsonLinesImporter imp = new JsonLinesImporter(index, key, "shop");
      String input = """
          {"id":"1","title":"One"}

          {"id":"2","title":"Two","price":-3}
          not json at all
          {"id":"3","title":"Three","content":"bafyBAD"}
          {"id":"4","title":"Four"}
          """;
      ImportReport r = run(imp, input);
      assertThat(r.lines()).isEqualTo(6);
      assertThat(r.added()).isEqualTo(2);
      assertThat(r.rejected()).isEqualTo(3);
      assertThat(r.errors()).extracting(ImportReport.LineError::line).containsExactly(3L, 4L, 5L);
      assertThat(r.errors()).extracting(ImportReport.LineError::field).containsExactly("price", null, "content");
      assertThat(index.entryCount()).isEqualTo(2);
    }
  }

  @Test
  void reimportIsIdempotentAcrossBatchesAndDeletesPropagate(@TempDir Path dir) throws Exception {
    String input = IntStream.range(0, 3000).mapToObj(i -> "{\"id\":\"e" + i + "\",\"title\":\"Entry " + i + "\"}")
        .collect(Collectors.joining("\n"));
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      JsonLinesImporter imp = new JsonLinesImporter(index, key, "shop");
      assertThat(run(imp, input).added()).isEqualTo(3000);
      ImportReport again = run(imp, input);
      assertThat(again.unchanged()).isEqualTo(3000);
      assertThat(again.added() + again.replaced()).isZero();
      ImportReport del = run(imp, "{\"id\":\"e5\",\"deleted\":true}\n{\"id\":\"nope\",\"deleted\":true}\n"
          + "{\"id\":\"e6\",\"title\":\"Entry six renamed\"}\n{\"id\":\"e6\",\"title\":\"Entry six final\"}");
      assertThat(del.deleted()).isEqualTo(1);
      assertThat(del.replaced()).isEqualTo(2);
      assertThat(index.entryCount()).isEqualTo(2999);
      assertThat(index.tombstoneCount()).isEqualTo(1);
    }
  }

  @Test
  void linesOfAnotherPlatformAreRefused(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      JsonLinesImporter imp = new JsonLinesImporter(index, key, "shop");
      ImportReport r = run(imp, """
          {"id":"1","title":"Ours"}
          {"platform":"shop","id":"2","title":"Ours, named"}
          {"platform":"npm","id":"left-pad","title":"Someone else's"}
          {"platform":"npm","id":"left-pad","deleted":true}
          """);
      assertThat(r.added()).isEqualTo(2);
      assertThat(r.errors()).extracting(ImportReport.LineError::line).containsExactly(3L, 4L);
      assertThat(r.errors()).extracting(ImportReport.LineError::field).containsOnly("platform");
      assertThat(r.errors().getFirst().message()).contains("this node serves platform shop");
    }
  }
}
