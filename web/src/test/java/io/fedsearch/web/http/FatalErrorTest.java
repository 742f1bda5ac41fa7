package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.web.node.FatalErrors;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.testing.ChildNode;
import io.fedsearch.web.testing.FatalErrorChild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node process that hits a virtual-machine error on any thread stops, with a status and a message that say so,
 * instead of running on with a dead thread. Real node processes ({@link FatalErrorChild} wraps the real main): one
 * runs out of heap on a virtual thread, one overflows a platform thread's stack.
 */
class FatalErrorTest {
  @TempDir Path dir;

  private void assertStopsAfter(String kind) throws Exception {
    NodeDirectory.init(dir.resolve("node"), "shop");
    Path trigger = dir.resolve("trigger");
    try (ChildNode child = ChildNode.start(List.of("-Xmx192m", "-Dfedsearch.test.fatal=" + kind,
        "-Dfedsearch.test.trigger=" + trigger), FatalErrorChild.class.getName(), dir.resolve("node"))) {
      try (TestHttp http = new TestHttp(child.url())) {
        assertThat(http.get("/health/live").status()).isEqualTo(200);
      }
      Files.createFile(trigger);
      OptionalInt status = child.awaitExit(Duration.ofSeconds(60));
      List<String> out = child.output();
      assertThat(status).as("the process stopped; it last printed %s", out.subList(Math.max(0, out.size() - 12),
          out.size())).isPresent();
      assertThat(status.getAsInt()).isEqualTo(FatalErrors.EXIT_STATUS);
      assertThat(String.join("\n", child.output())).contains("fedsearch: fatal java.lang.");
    }
  }

  @Test
  void outOfMemoryOnAVirtualThreadStopsTheProcess() throws Exception {
    assertStopsAfter("oom-virtual");
  }

  @Test
  void stackOverflowOnAPlatformThreadStopsTheProcess() throws Exception {
    assertStopsAfter("stack-platform");
  }
}
