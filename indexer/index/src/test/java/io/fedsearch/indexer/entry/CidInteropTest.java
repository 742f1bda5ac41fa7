package io.fedsearch.indexer.entry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.testing.NodeJs;
import io.fedsearch.core.testing.SharedData;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our CIDs and blocks against an independent implementation: npm's multiformats + @ipld/dag-cbor compute the CID
 * of the same object, over real catalog entries and edge cases.
 */
@Tag("interop")
class CidInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void edgeCasesMatchJsImplementation() throws Exception {
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry("p", "1", "t", "", "", List.of(), "", 0, null, null));
    entries.add(new Entry("p", "unicode", "Ünïcödé ✓ 日本語 🎉", "combining e\u0301 and ﬁ ligature, zero\u0000byte",
        "Zoë Ångström", List.of("émoji 🚀", "中文"), "https://例え.jp/パス", 1, null, null));
    entries.add(new Entry("p", "max", "t".repeat(EntryLimits.TITLE), "d".repeat(EntryLimits.DESCRIPTION),
        "c".repeat(EntryLimits.CREATOR), Collections.nCopies(EntryLimits.TAGS, "x".repeat(EntryLimits.TAG)),
        "https://e.x/" + "u".repeat(EntryLimits.URL - 12), EntryLimits.PRICE, null, null));
    entries.add(new Entry("p", "big-price", "t", "", "", List.of(), "", (1L << 53) + 1, null, null));
    entries.add(new Entry("p", "p23", "t", "", "", List.of(), "", 23, null, null));
    entries.add(new Entry("p", "p24", "t", "", "", List.of(), "", 24, null, null));
    entries.add(new Entry("p", "p2^32", "t", "", "", List.of(), "", 1L << 32, null, null));
    entries.add(new Entry("p", "p255", "t".repeat(255), "x".repeat(256), "", List.of("a"), "", 65535, null, null));
    entries.add(new Entry("p", "published", "t", "", "", List.of(), "", 5, Instant.parse("2024-02-29T12:34:56.789Z"), null));
    entries.add(new Entry("p", "cidv1", "t", "", "", List.of(), "", 5, null,
        Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")));
    entries.add(new Entry("p", "cidv0", "t", "", "", List.of(), "", 5, Instant.EPOCH,
        Cid.parse("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG")));
    entries.add(new EntryParser(null).parse(
        "{\"platform\":\"p\",\"id\":42,\"title\":\"numeric id\",\"tags\":[\"b\",\"a\",\"b\"],\"popularity\":99}"));
    assertAllMatch(entries);
  }

  @Test
  void realCatalogEntriesMatchJsImplementation() throws Exception {
    EntryParser parser = new EntryParser(null);
    List<Entry> entries = new ArrayList<>();
    for (String line : SharedData.firstLines("npm.jsonl", 1000)) {
      entries.add(parser.parse(line));
    }
    for (String line : SharedData.firstLines("debian.jsonl", 1000)) {
      entries.add(parser.parse(line));
    }
    assertAllMatch(entries);
  }

  private static void assertAllMatch(List<Entry> entries) throws Exception {
    List<String> input = new ArrayList<>();
    for (Entry e : entries) {
      ObjectNode rec = JSON.createObjectNode();
      ObjectNode o = rec.putObject("entry").put("platform", e.platform()).put("id", e.id()).put("title", e.title())
          .put("description", e.description()).put("creator", e.creator()).put("url", e.url());
      e.tags().forEach(o.putArray("tags")::add);
      if (e.published() != null) {
        o.put("published", Entry.formatTime(e.published()));
      }
      if (e.content() != null) {
        o.put("content", e.content().toString());
      }
      rec.put("price", Long.toString(e.price()));
      rec.put("cid", e.cid().toString()).put("block", HexFormat.of().formatHex(e.encode()));
      input.add(JSON.writeValueAsString(rec));
    }
    Path dir = NodeJs.scripts("indexer/index", "cid");
    List<String> out = NodeJs.run(dir, "cids.mjs", input, 120);
    assertThat(out).hasSize(entries.size());
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      JsonNode r = JSON.readTree(out.get(i));
      if (!r.get("match").asBoolean()) {
        mismatches.add(entries.get(i) + ": java " + entries.get(i).cid() + " js " + r.get("cid").asText());
      }
    }
    assertThat(mismatches).as("entries whose CID differs from multiformats/@ipld/dag-cbor").isEmpty();
  }
}
