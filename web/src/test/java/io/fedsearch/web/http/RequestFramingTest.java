package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken or ambiguous message framing is answered 400 at once and the connection is closed: nothing after such a
 * request can be trusted to start where the server thinks it does (request smuggling), and a connection left
 * waiting for a body that never comes is a slot an attacker holds for free. Raw sockets with a short read deadline:
 * a server that neither answers nor closes in time fails the test.
 */
class RequestFramingTest {
  /** Far below the ≥ 20 s the connections were held, far above what a loaded 2-core machine needs to answer. */
  private static final int DEADLINE_MS = 8_000;
  @TempDir static Path dir;
  private static RunningNode node;
  private static NodeServer server;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    NodeDirectory d = NodeDirectory.init(dir.resolve("node"), "shop");
    node = RunningNode.start(d, RunningNode.Options.defaults());
    server = NodeServer.start(node, "127.0.0.1", 0, 64 * 1024);
    token = d.adminToken();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    node.close();
  }

  private String postHead(String framing) {
    return "POST /api/entries HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n" + framing;
  }

  private static void assertRefusedAndClosed(RawHttp.Reply r) {
    assertThat(r.timedOut()).as("the server answered within %d ms", DEADLINE_MS).isFalse();
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.closed()).as("the server closed the connection").isTrue();
    assertThat(r.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.CSP);
  }

  private RawHttp.Reply send(String request) throws Exception {
    return RawHttp.exchange(server.port(), request, DEADLINE_MS, true);
  }

  @Test
  void negativeContentLength() throws Exception {
    assertRefusedAndClosed(send(postHead("Content-Length: -5\r\n\r\n{\"id\":\"n\",\"title\":\"t\"}\n")));
  }

  @Test
  void contentLengthThatIsNotADecimalNumber() throws Exception {
    assertRefusedAndClosed(send(postHead("Content-Length: +5\r\n\r\nhello")));
    assertRefusedAndClosed(send(postHead("Content-Length: 0x10\r\n\r\nhello")));
    assertRefusedAndClosed(send(postHead("Content-Length: 99999999999999999999999\r\n\r\nhello")));
  }

  @Test
  void twoConflictingContentLengths() throws Exception {
    String body = "{\"id\":\"smuggled\",\"title\":\"t\"}\n";
    assertRefusedAndClosed(send(postHead("Content-Length: " + body.length() + "\r\nContent-Length: 5\r\n\r\n" + body)));
    assertRefusedAndClosed(send(postHead("Content-Length: 5, " + body.length() + "\r\n\r\n" + body)));
    // Neither reading was applied.
    assertThat(node.local().index().entryCount()).isZero();
  }

  @Test
  void contentLengthBesideTransferEncoding() throws Exception {
    assertRefusedAndClosed(send(postHead("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")));
  }

  @Test
  void transferEncodingOtherThanChunked() throws Exception {
    assertRefusedAndClosed(send(postHead("Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")));
    assertRefusedAndClosed(send(postHead("Transfer-Encoding: identity\r\n\r\n")));
  }

  @Test
  void chunkSizeThatIsNotHex() throws Exception {
    assertRefusedAndClosed(send(postHead("Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")));
  }

  @Test
  void chunkSizeOfTwoToTheSixtyFour() throws Exception {
    assertRefusedAndClosed(send(postHead("Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\nhello\r\n0\r\n\r\n")));
  }

  @Test
  void chunkSizeAboveTheIntRange() throws Exception {
    assertRefusedAndClosed(send(postHead("Transfer-Encoding: chunked\r\n\r\nfffffff0\r\nhello\r\n0\r\n\r\n")));
  }

  @Test
  void aClientThatAsksToCloseIsClosedOnceAnswered() throws Exception {
    RawHttp.Reply r = send("GET /api/node HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.closed()).as("closed after the answer, without waiting for the client").isTrue();
    RawHttp.Reply error = send("GET /api/entries/bafynotacid HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.closed()).isTrue();
  }

  @Test
  void wellFramedRequestsStillWork() throws Exception {
    String line = "{\"id\":\"ok\",\"title\":\"Fine\"}\n";
    // Only the answers matter here: not waiting for the server to close after them.
    RawHttp.Reply chunked = RawHttp.exchange(server.port(), postHead("Transfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(line.length()) + "\r\n" + line + "\r\n0\r\n\r\n"), DEADLINE_MS, false);
    assertThat(chunked.status()).isEqualTo(200);
    RawHttp.Reply length = RawHttp.exchange(server.port(),
        postHead("Content-Length: " + line.length() + "\r\n\r\n" + line), DEADLINE_MS, false);
    assertThat(length.status()).isEqualTo(200);
    assertThat(length.body()).contains("\"unchanged\":1");
  }
}
