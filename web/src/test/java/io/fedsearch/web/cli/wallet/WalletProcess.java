package io.fedsearch.web.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code fedsearch wallet …} as its own JVM (the real {@code Main}), as a user's shell would. */
record WalletProcess(int exit, String out, String err) {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Starts {@code fedsearch wallet args…} and returns the running process (stdin closed). */
  static Process start(String... args) throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, "io.fedsearch.web.Main", "wallet"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    return p;
  }

  static WalletProcess run(String... args) throws IOException, InterruptedException {
    Process p = start(args);
    // Read both streams while the process runs (a full pipe would block it).
    var err = new java.util.concurrent.CompletableFuture<String>();
    Thread.ofVirtual().start(() -> {
      try {
        err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        err.complete("");
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("wallet " + String.join(" ", args) + " ended").isTrue();
    return new WalletProcess(p.exitValue(), out, err.join());
  }

  /** Runs with {@code --json} and {@code --dir dir}; expects exit 0 and returns the JSON printed. */
  static JsonNode json(Path dir, String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--dir", dir.toString(), "--json"));
    WalletProcess r = run(all.toArray(String[]::new));
    assertThat(r.exit()).as("wallet " + all + "\nout: " + r.out() + "\nerr: " + r.err()).isZero();
    return JSON.readTree(r.out());
  }
}
