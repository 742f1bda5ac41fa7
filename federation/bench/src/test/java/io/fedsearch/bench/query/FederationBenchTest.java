package io.fedsearch.bench.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench federation} end to end on a slice of the real npm catalog: every figure there, agreement exact. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FederationBenchTest {
  @TempDir Path dir;

  @Test
  void measuresFederatedAgainstOneIndexInOneRun() throws Exception {
    Path data = dir.resolve("npm-slice.jsonl");
    Files.write(data, SharedData.firstLines("npm.jsonl", 1500));
    Path queries = dir.resolve("queries.jsonl");
    // Their known items need not be in the slice: agreement is against one index over the same slice.
    Files.write(queries, SharedData.firstLines("queries-npm.jsonl", 40));
    ObjectNode r = FederationBench.run(new FederationBench.Options(3, List.of(data), List.of(queries),
        FederationBench.Split.RANDOM, 7, 10, 1, List.of(1, 4), Duration.ofSeconds(10), 1000, true, 200), dir);

    assertThat(r.get("nodes").asInt()).isEqualTo(3);
    assertThat(r.get("entries").asInt()).as("less the entries held out to write during the churn pass")
        .isEqualTo(1500 - (int) (1500 * FederationBench.CHURN_SHARE));
    assertThat(r.get("queries").asInt()).isEqualTo(40);
    for (String f : List.of("p50_ms", "p99_ms", "single_p50_ms", "single_p99_ms", "p99_ratio", "two_phase_p50_ms",
        "two_phase_p99_ms", "novel_p50_ms", "novel_p99_ms", "novel_mean_nodes_asked", "floor_p50_ms", "floor_p99_ms",
        "floor_p99_ratio", "ideal_floor_p99_ms", "ideal_floor_p99_ratio")) {
      assertThat(r.get(f).asDouble()).as(f).isPositive();
    }
    assertThat(r.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(r.get("p50_ms").asDouble());
    assertThat(r.get("alloc_kb_per_query").asDouble()).isPositive();
    // the JIT's share of the measured passes is reported, so a tail read while C2 still compiled can be told apart
    assertThat(r.get("rewarm_queries").asLong()).isPositive();
    assertThat(r.get("jit_ms_in_latency_passes").asLong()).isNotNegative();
    assertThat(r.get("jit_ms_in_cpu_passes").asLong()).isNotNegative();
    assertThat(r.get("floor_cpu_ms_per_query").asDouble()).isPositive();
    assertThat(r.get("protocol_cpu_ratio").asDouble() * r.get("floor_cpu_ratio").asDouble())
        .as("the two shares make cpu_ratio").isCloseTo(r.get("cpu_ratio").asDouble(),
            org.assertj.core.data.Percentage.withPercentage(2));
    // Bare round trips to the remote peers asked (the asker answers itself in process) on top of the floor.
    assertThat(r.get("mean_remote_peers_asked").asDouble()).isBetween(0.0, 2.0)
        .isLessThan(r.get("mean_nodes_asked").asDouble());
    assertThat(r.get("raw_round_trip_cpu_ms").asDouble()).isPositive();
    assertThat(r.get("round_trip_floor_cpu_ratio").asDouble())
        .isGreaterThanOrEqualTo(r.get("floor_cpu_ratio").asDouble());
    assertThat(r.get("round_trip_floor_cpu_ratio").asDouble() * r.get("cpu_over_round_trip_floor").asDouble())
        .as("floor with round trips, and the rest, make cpu_ratio").isCloseTo(r.get("cpu_ratio").asDouble(),
            org.assertj.core.data.Percentage.withPercentage(2));
    // Every query falls in one group by the nodes it was sent to, at most the three there are.
    int grouped = 0;
    for (var g : r.get("by_nodes_asked").properties()) {
      assertThat(Integer.parseInt(g.getKey())).isBetween(0, 3);
      assertThat(g.getValue().get("p99_ms").asDouble()).isGreaterThanOrEqualTo(g.getValue().get("p50_ms").asDouble());
      grouped += g.getValue().get("queries").asInt();
    }
    assertThat(grouped).isEqualTo(40);
    assertThat(r.get("qps").get("1").asDouble()).isPositive();
    assertThat(r.get("qps").get("4").asDouble()).isPositive();
    assertThat(r.get("top10_agreement").asDouble()).isEqualTo(1.0);
    // an exact answer asks every node whose entries it shows
    assertThat(r.get("mean_nodes_on_page").asDouble()).isPositive()
        .isLessThanOrEqualTo(r.get("mean_nodes_asked").asDouble());
    assertThat(r.get("novel_queries").asInt()).isEqualTo(20);
    assertThat(r.get("novel_statistics_requests_per_query").asDouble()).isBetween(0.0, 3.0);
    assertThat(r.get("novel_two_round_trip_share").asDouble()).isBetween(0.0, 1.0);
    assertThat(r.get("vocabularies").asBoolean()).isTrue();
    assertThat(r.get("incomplete_answers").asInt()).isZero();
    assertThat(r.get("churn_writes_per_s").asDouble()).isPositive();
    assertThat(r.get("churn_two_round_trip_share").asDouble()).isBetween(0.0, 1.0);
    assertThat(r.get("churn_p50_ms").asDouble()).isPositive();
  }

  @Test
  void rejectsBadOptionsByName() {
    assertThatThrownBy(() -> new FederationBench.Options(0, List.of(dir), List.of(dir), FederationBench.Split.RANDOM, 1,
        10, 1, List.of(1), Duration.ofSeconds(1), 10, true, 0)).hasMessageContaining("--nodes");
    assertThatThrownBy(() -> new FederationBench.Options(2, List.of(), List.of(dir), FederationBench.Split.RANDOM, 1,
        10, 1, List.of(1), Duration.ofSeconds(1), 10, true, 0)).hasMessageContaining("--data");
    assertThatThrownBy(() -> new FederationBench.Options(2, List.of(dir), List.of(dir), FederationBench.Split.RANDOM, 1,
        10, 1, List.of(0), Duration.ofSeconds(1), 10, true, 0)).hasMessageContaining("--concurrency");
  }
}
