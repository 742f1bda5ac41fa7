package io.fedsearch.indexer.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BatchPipelineTest {

  /** Runs {@code n} lines through a pipeline; returns what the sink saw, in the order it saw it. */
  private static List<String> run(int n, int batch, int threads, Set<String> preparers, List<Long> firsts) {
    List<String> applied = new ArrayList<>();
    try (BatchPipeline<String> p = new BatchPipeline<>(batch, threads, line -> {
      preparers.add(Thread.currentThread().getName());
      return "prepared " + line;
    }, (prepared, first) -> {
      firsts.add(first);
      applied.addAll(prepared);
    })) {
      for (int i = 1; i <= n; i++) {
        p.add("line " + i);
      }
      p.finish();
    }
    return applied;
  }

  @Test
  void appliesEveryLineOnceInInputOrderWithTheRightFirstLineNumbers() {
    for (int threads : new int[] {1, 2, 4}) {
      List<Long> firsts = new ArrayList<>();
      List<String> applied = run(10_007, 100, threads, ConcurrentHashMap.newKeySet(), firsts);
      assertThat(applied).hasSize(10_007);
      for (int i = 0; i < applied.size(); i++) {
        assertThat(applied.get(i)).isEqualTo("prepared line " + (i + 1));
      }
      assertThat(firsts).hasSize(101);
      for (int b = 0; b < firsts.size(); b++) {
        assertThat(firsts.get(b)).isEqualTo(1L + 100L * b);
      }
    }
  }

  @Test
  void oneThreadMeansTheCallerPreparesEverything() {
    Set<String> preparers = ConcurrentHashMap.newKeySet();
    run(5_000, 64, 1, preparers, new ArrayList<>());
    assertThat(preparers).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void aFailureWhilePreparingReachesTheCaller() {
    try (BatchPipeline<String> p = new BatchPipeline<>(10, 2, line -> {
      if (line.equals("bad")) {
        throw new IllegalStateException("boom on " + line);
      }
      return line;
    }, (prepared, first) -> {})) {
      for (int i = 0; i < 25; i++) {
        p.add(i == 13 ? "bad" : "ok");
      }
      assertThatThrownBy(p::finish).isInstanceOf(IllegalStateException.class).hasMessage("boom on bad");
    }
  }
}
