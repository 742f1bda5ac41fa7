package io.fedsearch.bench.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.Connection;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.Limits;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.Stream;
import io.fedsearch.federation.p2p.protocol.Ping;
import io.fedsearch.core.keys.NodeKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * {@code fedsearch bench p2p}: connection setup (TCP + Noise + yamux), ping RTT and single-stream throughput for
 * Java↔Java, and — when node and the js-libp2p test peer are installed — JS↔JS, Java→JS and JS→Java, all in one
 * run on 127.0.0.1, with the Java/JS ratios; and what a request/response call between two Java hosts costs in CPU
 * ({@link RequestCost}), against the same exchange over a plain TCP socket in the same run ({@link RawSocketCost}).
 */
public final class P2pBench {
  public static final String SINK = "/fedsearch/sink/1.0.0";
  static final int WARMUP_CONNECTIONS = 60;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What to measure: fresh connections, pings, bytes streamed, request/response calls timed, and whether to include
   * the JS pairs.
   */
  public record Options(int connections, int pings, long bytes, int calls, boolean earlyMuxer,
      Optional<Path> repoRoot) {
    public Options {
      if (connections < 1 || pings < 1 || bytes < 1 || calls < 1) {
        throw new IllegalArgumentException("connections, pings, bytes and calls must be positive");
      }
    }
  }

  private P2pBench() {}

  public static ObjectNode run(Options o) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    out.put("connections", o.connections()).put("pings", o.pings()).put("bytes", o.bytes())
        .put("earlyMuxer", o.earlyMuxer()).put("warmupConnections", WARMUP_CONNECTIONS)
        .put("loadAverage", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
        .put("cpus", Runtime.getRuntime().availableProcessors());
    try (Host server = javaHost(o.earlyMuxer()); Host client = javaHost(o.earlyMuxer())) {
      Multiaddr target = server.listenAddresses().get(0).withoutPeerId();
      measureJava(client, target, warmup(o));
      out.set("javaJava", measureJava(client, target, o));
      client.dial(target);
      ObjectNode calls = RequestCost.measure(client, server, o.calls());
      ObjectNode raw = RawSocketCost.measure(o.calls());
      out.set("javaJavaCalls", calls);
      out.set("rawSocketCalls", raw);
      out.put("callCpu_over_rawSocket", Math.round(calls.path("cpuUsPerCall").asDouble()
          / raw.path("cpuUsPerCall").asDouble() * 100) / 100.0);
    }
    Optional<Path> scripts = o.repoRoot().flatMap(JsPeer::scriptDir);
    if (scripts.isEmpty() || !JsPeer.nodeAvailable()) {
      out.put("js", "skipped: node or " + JsPeer.SCRIPT_DIR + "/node_modules not available (run .ci/npm-deps)");
      return out;
    }
    Path log = Files.createTempFile("fedsearch-bench-js", ".log");
    try (JsPeer jsServer = JsPeer.start(scripts.get(), log); JsPeer jsClient = JsPeer.start(scripts.get(), log);
        Host javaServer = javaHost(o.earlyMuxer()); Host javaClient = javaHost(o.earlyMuxer())) {
      jsBench(jsClient, jsServer.address(), warmup(o));
      out.set("jsJs", jsBench(jsClient, jsServer.address(), o));
      measureJava(javaClient, jsServer.address(), warmup(o));
      out.set("javaToJs", measureJava(javaClient, jsServer.address(), o));
      out.set("jsToJava", jsBench(jsClient, javaServer.listenAddresses().get(0), o));
    } finally {
      Files.deleteIfExists(log);
    }
    ObjectNode ratios = out.putObject("ratios");
    JsonNode jj = out.get("javaJava");
    JsonNode ss = out.get("jsJs");
    ratios.put("setupMedian_jsJs_over_javaJava", ss.path("setupMs").path("median").asDouble()
        / jj.path("setupMs").path("median").asDouble());
    ratios.put("pingMedian_jsJs_over_javaJava", ss.path("pingMs").path("median").asDouble()
        / jj.path("pingMs").path("median").asDouble());
    ratios.put("throughput_javaJava_over_jsJs", jj.path("throughputMBps").asDouble()
        / ss.path("throughputMBps").asDouble());
    ratios.put("note", "values above 1 mean Java↔Java is faster than JS↔JS");
    return out;
  }

  /**
   * The untimed round before each measured one, the same for both languages: enough connections for the JIT to
   * compile the handshake's curve arithmetic (Tink's X25519 is Java), a share of the pings and bytes.
   */
  static Options warmup(Options o) {
    return new Options(WARMUP_CONNECTIONS, 50, Math.min(o.bytes(), 16L << 20), o.calls(), o.earlyMuxer(),
        o.repoRoot());
  }

  private static Host javaHost(boolean earlyMuxer) throws IOException {
    // the per-IP inbound limits exist against floods; the benchmark opens connections back to back on purpose
    Limits limits = Limits.defaults().withInboundPerIpPerSecond(1_000_000).withMaxConnections(10_000, 10_000);
    Host h = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).earlyMuxer(earlyMuxer)
        .limits(limits).build();
    h.addProtocolHandler(SINK, P2pBench::sink);
    RequestCost.serve(h);
    h.start();
    return h;
  }

  /** Counts bytes until the writer half-closes, then answers with the count (8 bytes, big-endian). */
  static void sink(Stream s) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long n = 0;
    InputStream in = s.in();
    for (int r; (r = in.read(buf)) >= 0; ) {
      n += r;
    }
    s.out().write(ByteBuffer.allocate(8).putLong(n).array());
    s.closeWrite();
  }

  /** Java dials {@code target} (without /p2p: a fresh connection each time). */
  static ObjectNode measureJava(Host client, Multiaddr target, Options o) throws IOException {
    double[] setup = new double[o.connections()];
    Multiaddr fresh = target.withoutPeerId();
    for (int i = 0; i < o.connections(); i++) {
      long t0 = System.nanoTime();
      Connection c = client.dial(fresh);
      setup[i] = (System.nanoTime() - t0) / 1e6;
      c.close();
    }
    Connection c = client.dial(fresh);
    try {
      Duration[] rtts = Ping.ping(c, o.pings(), Duration.ofSeconds(10));
      double[] ping = Arrays.stream(rtts).mapToDouble(d -> d.toNanos() / 1e6).toArray();
      byte[] chunk = new byte[64 * 1024];
      new Random(1).nextBytes(chunk);
      long t0 = System.nanoTime();
      try (Stream s = c.newStream(SINK)) {
        long sent = 0;
        while (sent < o.bytes()) {
          int n = (int) Math.min(chunk.length, o.bytes() - sent);
          s.out().write(chunk, 0, n);
          sent += n;
        }
        s.closeWrite();
        s.setReadTimeout(Duration.ofSeconds(60));
        long counted = ByteBuffer.wrap(s.in().readNBytes(8)).getLong();
        if (counted != o.bytes()) {
          throw new IOException("sink counted " + counted + " of " + o.bytes() + " bytes");
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return figures(setup, ping, o.bytes() / seconds / 1e6);
    } finally {
      c.close();
    }
  }

  static ObjectNode jsBench(JsPeer client, Multiaddr target, Options o) throws IOException {
    JsonNode r = client.call(client.command("bench").put("addr", target.toString())
        .put("connections", o.connections()).put("pings", o.pings()).put("bytes", o.bytes()),
        Duration.ofMinutes(5));
    return figures(doubles(r.path("setupMs")), doubles(r.path("pingMs")), r.path("throughputMBps").asDouble());
  }

  private static double[] doubles(JsonNode array) {
    List<Double> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asDouble()));
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static ObjectNode figures(double[] setup, double[] ping, double mbps) {
    ObjectNode f = JSON.createObjectNode();
    f.set("setupMs", stats(setup));
    f.set("pingMs", stats(ping));
    f.put("throughputMBps", round(mbps));
    return f;
  }

  private static ObjectNode stats(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    ObjectNode s = JSON.createObjectNode();
    s.put("n", v.length);
    s.put("median", round(v[v.length / 2]));
    s.put("p90", round(v[Math.min(v.length - 1, (int) Math.ceil(v.length * 0.9) - 1)]));
    s.put("min", round(v[0]));
    return s;
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
