package io.fedsearch.bench.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.PeerId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A js-libp2p peer process ({@code federation/p2p/src/test/js/libp2p/peer.mjs}) driven by JSON lines: the interop
 * tests and {@code bench p2p} use it as the reference implementation.
 */
public final class JsPeer implements AutoCloseable {
  public static final String SCRIPT_DIR = "federation/p2p/src/test/js/libp2p";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
  private final Multiaddr address;
  private final PeerId peerId;
  private int nextId;

  private JsPeer(Process process, Duration startTimeout) throws IOException {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread.ofVirtual().name("js-peer-stdout").start(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.offer(line);
        }
      } catch (IOException ignored) {
        // process ended
      }
    });
    JsonNode first = JSON.readTree(next(startTimeout));
    this.address = Multiaddr.parse(first.path("addr").asText());
    this.peerId = PeerId.parse(first.path("peerId").asText());
  }

  /** The folder with peer.mjs and its installed node_modules under {@code repoRoot}, if present. */
  public static Optional<Path> scriptDir(Path repoRoot) {
    Path dir = repoRoot.resolve(SCRIPT_DIR);
    return Files.isRegularFile(dir.resolve("peer.mjs")) && Files.isDirectory(dir.resolve("node_modules/libp2p"))
        ? Optional.of(dir) : Optional.empty();
  }

  /**
   * The repository root holding {@link #SCRIPT_DIR}: the {@code fedsearch.root} system property, else the first
   * ancestor of the working directory or of this class's jar that contains it.
   */
  public static Optional<Path> findRepoRoot() {
    List<Path> starts = new ArrayList<>();
    String prop = System.getProperty("fedsearch.root");
    if (prop != null) {
      starts.add(Path.of(prop));
    }
    starts.add(Path.of("").toAbsolutePath());
    try {
      starts.add(Path.of(JsPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (Exception ignored) {
      // no code source: rely on the working directory
    }
    for (Path start : starts) {
      for (Path p = start; p != null; p = p.getParent()) {
        if (Files.isRegularFile(p.resolve(SCRIPT_DIR).resolve("peer.mjs"))) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** True when a {@code node} binary runs. */
  public static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Starts {@code node peer.mjs args…} in {@code dir}; its stderr goes to {@code stderrLog}. */
  public static JsPeer start(Path dir, Path stderrLog, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("node", "peer.mjs"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
    String debug = System.getProperty("fedsearch.js.debug"); // e.g. libp2p:kad-dht* for js-libp2p's debug log
    if (debug != null) {
      pb.environment().put("DEBUG", debug);
    }
    Process p = pb.start();
    try {
      return new JsPeer(p, Duration.ofSeconds(30));
    } catch (IOException | RuntimeException e) {
      p.destroyForcibly();
      throw new IOException("js peer did not start (see " + stderrLog + "): " + e.getMessage(), e);
    }
  }

  public Multiaddr address() {
    return address;
  }

  public PeerId peerId() {
    return peerId;
  }

  public ObjectNode command(String op) {
    return JSON.createObjectNode().put("op", op);
  }

  /**
   * One command in flight at a time. A lock, not a monitor: the work reads the disk (or
   * waits on a process), which inside {@code synchronized} would pin a virtual thread.
   */
  private final java.util.concurrent.locks.ReentrantLock calling = new java.util.concurrent.locks.ReentrantLock();

  /** Sends one command and waits for its answer; throws when the peer reports an error. */
  public JsonNode call(ObjectNode cmd, Duration timeout) throws IOException {
    calling.lock();
    try {
      int id = ++nextId;
      cmd.put("id", id);
      stdin.write((JSON.writeValueAsString(cmd) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        JsonNode reply = JSON.readTree(next(Duration.ofNanos(Math.max(1, left))));
        if (reply.path("id").asInt() != id) {
          continue;
        }
        if (!reply.path("ok").asBoolean()) {
          throw new IOException("js peer: " + cmd.path("op").asText() + " failed: " + reply.path("error").asText());
        }
        return reply;
      }
    } finally {
      calling.unlock();
    }
  }

  private String next(Duration timeout) throws IOException {
    try {
      String line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new IOException("js peer: no answer within " + timeout.toMillis() + " ms"
            + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")"));
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      stdin.close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
