package io.fedsearch.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** xrpl.js over a batch of checks: federation's {@code src/test/js/xrpl/verify.mjs} (its kinds: claim, tx, channel_id). */
final class XrplJsVerify {
  private static final ObjectMapper JSON = new ObjectMapper();

  private XrplJsVerify() {}

  static List<JsonNode> run(List<Map<String, Object>> requests) throws Exception {
    Path d = Path.of(System.getProperty("basedir", ".")).resolve("../federation/payments/src/test/js/xrpl");
    assertThat(d.resolve("node_modules/xrpl")).as("xrpl.js installed: run .ci/npm-deps").isDirectory();
    Process p = new ProcessBuilder("node", "verify.mjs").directory(d.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
      for (Map<String, Object> r : requests) {
        w.write(JSON.writeValueAsString(r) + "\n");
      }
    }
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.add(JSON.readTree(line));
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).hasSize(requests.size());
    return out;
  }
}
