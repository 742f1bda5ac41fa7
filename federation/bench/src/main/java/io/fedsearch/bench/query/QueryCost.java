package io.fedsearch.bench.query;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What one query costs the whole process: CPU time, and bytes allocated (the garbage the collector pauses for). The
 * process clock counts every thread — the peers' as well as the asker's, the JIT's too, which is why it is read
 * only after {@link WarmUp}.
 */
record QueryCost(double cpuMs, double allocatedKb) {
  /** Process CPU a pass uses at least (see {@link #measure}). */
  private static final long MIN_CPU_PASS_NANOS = 400_000_000L;

  /**
   * Per query and side, the medians over {@code passes} passes, each over the query set as many times as it takes to
   * use {@link #MIN_CPU_PASS_NANOS} of CPU, one query at a time. The process clock ticks in 10 ms here: a single pass
   * of the single index's queries (~30 ms) read it to a third, so a pass is made long enough to read it to a few %.
   *
   * <p>The sides' passes are taken in turn (first side, second, …, first again), so that a slow spell of the machine
   * falls on every side rather than on one: the benchmark reports ratios between them. Measured side after side, the
   * single index's CPU a query moved by up to 2× between runs on a day this machine was unsteady (session 17).
   */
  static Map<String, QueryCost> interleaved(int passes, List<String> queries, Map<String, Consumer<String>> sides) {
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<String, double[]> cpu = new LinkedHashMap<>();
    Map<String, double[]> allocated = new LinkedHashMap<>();
    sides.keySet().forEach(side -> {
      cpu.put(side, new double[passes]);
      allocated.put(side, new double[passes]);
    });
    for (int pass = 0; pass < passes; pass++) {
      for (Map.Entry<String, Consumer<String>> side : sides.entrySet()) {
        System.gc(); // the garbage of what ran before is not this side's
        long cpuBefore = os.getProcessCpuTime();
        // Virtual threads allocate on their carriers, which this total counts.
        long allocatedBefore = threads.getTotalThreadAllocatedBytes();
        long asked = 0;
        do {
          queries.forEach(side.getValue());
          asked += queries.size();
        } while (os.getProcessCpuTime() - cpuBefore < MIN_CPU_PASS_NANOS);
        cpu.get(side.getKey())[pass] = (os.getProcessCpuTime() - cpuBefore) / 1e6 / asked;
        allocated.get(side.getKey())[pass] = (threads.getTotalThreadAllocatedBytes() - allocatedBefore) / 1024.0 / asked;
      }
    }
    Map<String, QueryCost> out = new LinkedHashMap<>();
    for (String side : sides.keySet()) {
      out.put(side, new QueryCost(FederationBench.percentile(cpu.get(side), 0.5),
          FederationBench.percentile(allocated.get(side), 0.5)));
    }
    return out;
  }
}
