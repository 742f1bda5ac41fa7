package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** Runs xrpl.js (src/test/js/xrpl/verify.mjs) once over a batch of requests; one node start per call. */
public final class XrplJs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private XrplJs() {}

  static Path dir() {
    Path root = Path.of(System.getProperty("fedsearch.root", "."));
    Path d = root.resolve("federation/payments/src/test/js/xrpl");
    if (!Files.isDirectory(d)) {
      d = Path.of("src/test/js/xrpl");
    }
    assertThat(d.resolve("node_modules/xrpl")).as("xrpl.js installed: run .ci/npm-deps").isDirectory();
    return d;
  }

  public static List<JsonNode> run(List<Map<String, Object>> requests) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("node", "verify.mjs").directory(dir().toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Thread writer = new Thread(() -> {
      try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
        for (Map<String, Object> r : requests) {
          w.write(JSON.writeValueAsString(r));
          w.write('\n');
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.start();
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.add(JSON.readTree(line));
      }
    }
    writer.join(60_000);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("xrpl.js finished").isTrue();
    assertThat(out).hasSize(requests.size());
    return out;
  }

  public static Map<String, Object> claim(String channel, long drops, String signature, String publicKey) {
    return Map.of("kind", "claim", "channel", channel, "amount", drops, "signature", signature,
        "public_key", publicKey);
  }

  public static Map<String, Object> tx(String blob) {
    return Map.of("kind", "tx", "blob", blob);
  }

  static Map<String, Object> channelId(String source, String destination, long sequence) {
    return Map.of("kind", "channel_id", "source", source, "destination", destination, "sequence", sequence);
  }
}
