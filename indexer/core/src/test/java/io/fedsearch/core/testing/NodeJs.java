package io.fedsearch.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's Node.js check scripts (under {@code <module>/src/test/js/<name>/}) — the independent
 * implementations our output is compared against. Their npm packages are installed from the lockfiles by
 * {@code .ci/npm-deps}; a missing install fails the test with that instruction rather than skipping.
 */
public final class NodeJs {
  private NodeJs() {}

  public static Path repoRoot() {
    String root = System.getProperty("fedsearch.root");
    Path p = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    return p.toAbsolutePath().normalize();
  }

  /** The folder of a script set, checked to have its npm packages installed. */
  public static Path scripts(String module, String name) {
    Path dir = repoRoot().resolve(module).resolve("src/test/js").resolve(name);
    if (!Files.isDirectory(dir.resolve("node_modules"))) {
      fail("npm packages for " + dir + " are not installed: run .ci/npm-deps (./fedsearch test does)");
    }
    return dir;
  }

  /** Runs {@code node script} in {@code dir} with {@code stdin}, returns stdout lines; fails on non-zero exit. */
  public static List<String> run(Path dir, String script, List<String> stdin, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("node", script).directory(dir.toFile());
    Path err = Files.createTempFile("node-stderr", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    Thread writer = Thread.ofVirtual().start(() -> {
      try (OutputStream out = p.getOutputStream()) {
        for (String line : stdin) {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException ignored) {
        // the script ended early; its exit status tells why
      }
    });
    List<String> lines = new ArrayList<>();
    try (var reader = p.inputReader(StandardCharsets.UTF_8)) {
      for (String line; (line = reader.readLine()) != null; ) {
        lines.add(line);
      }
    }
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("node " + script + " did not finish within " + timeoutSeconds + " s");
    }
    writer.join();
    if (p.exitValue() != 0) {
      fail("node " + script + " exited " + p.exitValue() + ":\n" + Files.readString(err));
    }
    Files.deleteIfExists(err);
    return lines;
  }
}
