package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import whose body turns out too large (or malformed) part-way is refused whole: the answer says nothing was
 * applied, and nothing was — also not later, when the next import commits the index. The node's body limit is
 * set low (1 MiB) so a 2 MiB chunked body, far more than the importer applies in its first batches, crosses it.
 */
class ImportAtomicityTest {
  private static final int LIMIT = 1024 * 1024;
  @TempDir static Path dir;
  private static RunningNode node;
  private static NodeServer server;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    NodeDirectory d = NodeDirectory.init(dir.resolve("node"), "shop");
    node = RunningNode.start(d, RunningNode.Options.defaults());
    server = NodeServer.start(node, "127.0.0.1", 0, LIMIT);
    token = d.adminToken();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    node.close();
  }

  /** {@code lines} entries as a chunked POST body, in 4 KiB chunks, with the given tail after the last line. */
  private static byte[] chunkedImport(String idPrefix, int lines, String tail) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      body.append("{\"id\":\"").append(idPrefix).append(i).append("\",\"title\":\"Oversized import item ").append(i)
          .append("\",\"description\":\"one line of a catalog posted in one piece\"}\n");
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("POST /api/entries HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    for (int off = 0; off < bytes.length; off += 4096) {
      int n = Math.min(4096, bytes.length - off);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes, off, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(tail.getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void anOversizedChunkedImportAppliesNothingAndSaysSo() throws Exception {
    long before = node.local().index().entryCount();
    byte[] request = chunkedImport("big-", 2 * LIMIT / 95, "0\r\n\r\n");
    RawHttp.Reply r = RawHttp.exchange(server.port(), request, 30_000, true);
    assertThat(r.status()).isEqualTo(413);

    // The next import commits the index: whatever the refused one left in the writer would become durable now.
    String ok = "{\"id\":\"after\",\"title\":\"Posted after the refused import\"}\n";
    RawHttp.Reply next = RawHttp.exchange(server.port(), "POST /api/entries HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer " + token + "\r\nContent-Length: " + ok.length() + "\r\nConnection: close\r\n\r\n"
        + ok, 30_000, false);
    assertThat(next.status()).isEqualTo(200);
    assertThat(node.local().index().entryCount()).isEqualTo(before + 1);
    assertThat(r.body()).contains("nothing of it was applied");
    assertThat(r.closed()).isTrue();
  }

  @Test
  void aBodyWhoseFramingBreaksLateAppliesNothing() throws Exception {
    // Well-formed lines well past the importer's first batches, then a chunk size that is not hex.
    byte[] request = chunkedImport("broken-", LIMIT / 2 / 95, "zz\r\nnot a chunk\r\n0\r\n\r\n");
    RawHttp.Reply r = RawHttp.exchange(server.port(), request, 30_000, true);
    TestHttp http = new TestHttp("http://127.0.0.1:" + server.port());
    try (http) {
      assertThat(http.get("/api/search?q=broken&mode=local").json().get("hits").size()).isZero();
    }
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.closed()).isTrue();
  }

  @Test
  void anImportWithinTheLimitIsAppliedAndResendingItChangesNothing() throws Exception {
    byte[] request = chunkedImport("fits-", 3000, "0\r\n\r\n");
    RawHttp.Reply first = RawHttp.exchange(server.port(), request, 30_000, false);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).contains("\"added\":3000");
    RawHttp.Reply again = RawHttp.exchange(server.port(), request, 30_000, false);
    assertThat(again.body()).contains("\"added\":0").contains("\"unchanged\":3000");
  }
}
