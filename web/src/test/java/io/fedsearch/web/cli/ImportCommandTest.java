package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.web.http.Json;
import io.fedsearch.web.node.NodeDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedsearch import} tells the operator what they would otherwise find out from users. */
@Timeout(60)
class ImportCommandTest {
  @TempDir
  Path tmp;

  @Test
  void entriesOfAnotherPlatformAreRefusedWithTheFixAndEntriesWithoutAPriceAreSaid() throws Exception {
    Path dir = tmp.resolve("shop");
    NodeDirectory.init(dir, "shop");
    Path file = tmp.resolve("npm.jsonl");
    Files.writeString(file, """
        {"platform": "npm", "id": "semver", "title": "semver", "description": "version parser"}
        {"platform": "npm", "id": "debug", "title": "debug", "description": "debugging utility", "price": 1000}
        {"id": "kettle", "title": "Copper kettle", "description": "hammered copper", "price": 250}
        """);
    CliRun r = CliRun.of("import", "--dir", dir.toString(), file.toString());
    assertThat(r.exit()).as("rejected lines make the import fail").isEqualTo(1);
    // Peers refuse entries whose platform is not their signer's, so the node refuses them first, saying why.
    assertThat(r.err()).contains(file + ":1: ").contains("this node serves platform shop");
    assertThat(r.err()).contains(file + ":2: ");

    Path own = tmp.resolve("shop.jsonl");
    Files.writeString(own, """
        {"id": "kettle", "title": "Copper kettle", "description": "hammered copper"}
        {"id": "pan", "title": "Steel pan", "description": "heavy pan", "price": 250}
        """);
    CliRun priced = CliRun.of("import", "--dir", dir.toString(), own.toString());
    assertThat(priced.exit()).as(priced.err()).isZero();
    assertThat(priced.err()).contains("note: 1 entries have no \"price\"").contains("free");
    CliRun json = CliRun.of("import", "--dir", dir.toString(), "--json", own.toString());
    JsonNode j = Json.MAPPER.readTree(json.out());
    assertThat(j.get("unpriced").asLong()).isEqualTo(1);

    // ... and the node's page says so too.
    try (var node = io.fedsearch.web.node.RunningNode.start(io.fedsearch.web.node.NodeDirectory.open(dir),
            io.fedsearch.web.node.RunningNode.Options.defaults());
        var server = io.fedsearch.web.http.NodeServer.start(node, "127.0.0.1", 0, 4096);
        var http = new io.fedsearch.web.http.TestHttp("http://127.0.0.1:" + server.port())) {
      assertThat(http.get("/api/node").json().get("unpriced_entries").asLong()).isEqualTo(1);
      String token = java.nio.file.Files.readString(dir.resolve(io.fedsearch.web.node.NodeDirectory.ADMIN_TOKEN)).strip();
      assertThat(http.getAdmin("/dashboard", token).body()).contains("1 entries have no price");
    }
  }

  @Test
  void aCatalogOfTheNodesOwnPlatformWithPricesImportsWithoutWarnings() throws Exception {
    Path dir = tmp.resolve("npm");
    NodeDirectory.init(dir, "npm");
    Path file = tmp.resolve("npm.jsonl");
    Files.writeString(file, """
        {"platform": "npm", "id": "debug", "title": "debug", "description": "debugging utility", "price": 1000}
        """);
    CliRun r = CliRun.of("import", "--dir", dir.toString(), file.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("warning").doesNotContain("note:");
  }
}
