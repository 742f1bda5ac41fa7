package io.fedsearch.bench.p2p;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What one request/response round trip costs between two Java hosts in this process: the path a federated query
 * takes to each peer ({@link RequestResponse#callInline}: the request goes out from the caller, the answer completes
 * on the connection's reader), with 1 KiB each way (about a query's answer). Reports the process CPU per call (both
 * hosts: sender, receiver, their readers and handler threads) and the wall time per call, one call at a time after as
 * many unmeasured calls (the JIT).
 */
final class RequestCost {
  static final String ECHO = "/fedsearch/bench-echo/1.0.0";
  static final int MESSAGE_BYTES = 1024;
  /** Process CPU a measurement uses at least: ten ticks of the process clock. */
  static final long MIN_CPU_NANOS = 100_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestCost() {}

  /** Serves the echo protocol the measurement calls (registered on the answering host before it starts). */
  static void serve(Host host) {
    new RequestResponse(host).handle(ECHO, MESSAGE_BYTES, (from, request) -> request);
  }

  static ObjectNode measure(Host caller, Host answerer, int calls) throws IOException {
    RequestResponse rr = new RequestResponse(caller);
    byte[] message = new byte[MESSAGE_BYTES];
    new Random(3).nextBytes(message);
    // the warm-up also makes sure identify has named the agent (one round trip a call)
    return timed(calls, () -> run(rr, answerer, message, calls));
  }

  /** {@code calls} calls, as {@code run} makes them. */
  interface Calls {
    void run() throws IOException;
  }

  /**
   * Runs {@code calls} once unmeasured (the JIT), then again, measured, as many times as it takes to use
   * {@link #MIN_CPU_NANOS} of CPU: the process clock ticks in 10 ms here, so a short run (the test's 200 calls of
   * ~50 µs) could read as no CPU at all. Reports the calls measured and the process CPU and wall time a call, in
   * microseconds.
   */
  static ObjectNode timed(int calls, Calls run) throws IOException {
    run.run();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    long made = 0;
    do {
      run.run();
      made += calls;
    } while (os.getProcessCpuTime() - cpu0 < MIN_CPU_NANOS);
    long wall = System.nanoTime() - t0;
    long cpu = os.getProcessCpuTime() - cpu0;
    ObjectNode out = JSON.createObjectNode();
    out.put("calls", made).put("bytes", MESSAGE_BYTES);
    out.put("cpuUsPerCall", Math.round(cpu / 1e3 / made * 10) / 10.0);
    out.put("wallUsPerCall", Math.round(wall / 1e3 / made * 10) / 10.0);
    return out;
  }

  private static void run(RequestResponse rr, Host answerer, byte[] message, int calls) throws IOException {
    for (int i = 0; i < calls; i++) {
      byte[] back;
      try {
        back = rr.callInline(answerer.peerId(), ECHO, message, MESSAGE_BYTES, Duration.ofSeconds(10))
            .get(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("request/response calls interrupted");
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("request/response call failed: " + e, e);
      }
      if (back.length != message.length) {
        throw new IOException("echo answered " + back.length + " bytes, not " + message.length);
      }
    }
  }
}
