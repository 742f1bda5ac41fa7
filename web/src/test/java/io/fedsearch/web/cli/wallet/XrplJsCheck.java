package io.fedsearch.web.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * xrpl.js over a batch of claims and signed blobs, through the federation module's {@code verify.mjs} (found under
 * the project root, wherever the module layout puts it). One node start per call.
 */
final class XrplJsCheck {
  private XrplJsCheck() {}

  static Path dir() throws IOException {
    Path root = Path.of(System.getProperty("fedsearch.root", "..")).toAbsolutePath().normalize();
    try (Stream<Path> s = Files.find(root, 8, (p, a) -> p.endsWith(Path.of("src/test/js/xrpl/verify.mjs"))
        && !p.toString().contains("node_modules"))) {
      Path d = s.findFirst().orElseThrow(() -> new AssertionError("no src/test/js/xrpl/verify.mjs under " + root))
          .getParent();
      assertThat(d.resolve("node_modules/xrpl")).as("xrpl.js installed: run .ci/npm-deps").isDirectory();
      return d;
    }
  }

  static List<JsonNode> run(List<Map<String, Object>> requests) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("node", "verify.mjs").directory(dir().toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
      for (Map<String, Object> r : requests) {
        w.write(WalletProcess.JSON.writeValueAsString(r));
        w.write('\n');
      }
    }
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.add(WalletProcess.JSON.readTree(line));
      }
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("xrpl.js finished").isTrue();
    assertThat(out).hasSize(requests.size());
    return out;
  }
}
