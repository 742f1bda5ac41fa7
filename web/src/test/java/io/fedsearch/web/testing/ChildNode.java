package io.fedsearch.web.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fedsearch node in its own JVM (the real {@code Main}, test class path), for tests that kill processes.
 * {@link #kill()} sends SIGKILL: no shutdown hook runs.
 */
public final class ChildNode implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://[0-9.]+:[0-9]+)");
  private final Process process;
  private final String url;
  private final List<String> output;

  private ChildNode(Process process, String url, List<String> output) {
    this.process = process;
    this.url = url;
    this.output = output;
  }

  /** Starts {@code fedsearch node start --dir DIR --http-port 0 …} and waits (bounded) until it listens. */
  public static ChildNode start(Path dir, String... extraArgs) throws IOException, InterruptedException {
    return start(List.of(), "io.fedsearch.web.Main", dir, extraArgs);
  }

  /**
   * Like {@link #start(Path, String...)}, with JVM options and another main class (one that wraps the real
   * {@code Main}, e.g. to break the process in a way a test needs).
   */
  public static ChildNode start(List<String> jvmOptions, String mainClass, Path dir, String... extraArgs)
      throws IOException, InterruptedException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", cp, mainClass, "node", "start", "--dir", dir.toString(), "--http-port", "0"));
    cmd.addAll(List.of(extraArgs));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url = new CompletableFuture<>();
    List<String> seen = new ArrayList<>();
    Thread.ofVirtual().start(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          synchronized (seen) {
            seen.add(line);
          }
          // Into the test's own output (surefire keeps it per test class; CI prints it when the test fails).
          System.out.println("[" + dir.getFileName() + " pid " + p.pid() + "] " + line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            url.complete(m.group(1));
          }
        }
      } catch (IOException ignored) {
        // process gone
      }
      url.complete(null);
    });
    try {
      String u = url.get(60, TimeUnit.SECONDS);
      if (u == null) {
        throw new IllegalStateException("node exited before listening: " + seen);
      }
      Thread.sleep(200); // the p2p address lines follow the HTTP line
      return new ChildNode(p, u, seen);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      p.destroyForcibly();
      throw new IllegalStateException("node did not start within 60 s: " + seen, e);
    }
  }

  public String url() {
    return url;
  }

  /** The libp2p multiaddr the node printed ({@code /ip4/…/tcp/…/p2p/…}). */
  public String p2pAddress() {
    synchronized (output) {
      return output.stream().filter(l -> l.startsWith("p2p /")).map(l -> l.substring(4)).findFirst()
          .orElseThrow(() -> new IllegalStateException("node printed no p2p address: " + output));
    }
  }

  public long pid() {
    return process.pid();
  }

  /** Waits up to {@code timeout} for the process to end on its own; its exit status, or empty if it still runs. */
  public java.util.OptionalInt awaitExit(java.time.Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
  }

  /** What the process printed so far (stdout and stderr). */
  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** SIGKILL, then wait for the process to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
