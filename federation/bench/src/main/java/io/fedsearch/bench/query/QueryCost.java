package io.fedsearch.bench.query;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
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
   * Per query, the medians over {@code passes} passes, each over the query set as many times as it takes to use
   * {@link #MIN_CPU_PASS_NANOS} of CPU, one query at a time. The process clock ticks in 10 ms here: a single pass of
   * the single index's queries (~30 ms) read it to a third, so a pass is made long enough to read it to a few %.
   */
  static QueryCost measure(int passes, List<String> queries, Consumer<String> ask) {
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.gc(); // the garbage of what ran before is not this side's
    double[] cpu = new double[passes];
    double[] allocated = new double[passes];
    for (int pass = 0; pass < passes; pass++) {
      long cpuBefore = os.getProcessCpuTime();
      // Virtual threads allocate on their carriers, which this total counts.
      long allocatedBefore = threads.getTotalThreadAllocatedBytes();
      long asked = 0;
      do {
        queries.forEach(ask);
        asked += queries.size();
      } while (os.getProcessCpuTime() - cpuBefore < MIN_CPU_PASS_NANOS);
      cpu[pass] = (os.getProcessCpuTime() - cpuBefore) / 1e6 / asked;
      allocated[pass] = (threads.getTotalThreadAllocatedBytes() - allocatedBefore) / 1024.0 / asked;
    }
    return new QueryCost(FederationBench.percentile(cpu, 0.5), FederationBench.percentile(allocated, 0.5));
  }
}
