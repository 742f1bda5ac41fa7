package io.fedsearch.bench.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link WarmUp}: a number of passes asks exactly that; "until settled" asks whole rounds, cycling the queries. */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class WarmUpTest {
  private final List<String> queries = List.of("a", "b", "c");

  @Test
  void aNumberOfPassesAsksEveryQueryThatManyTimesInOrder() throws Exception {
    StringBuilder asked = new StringBuilder();
    WarmUp.Result r = WarmUp.run(2, 1, queries, asked::append);
    assertThat(asked.toString()).isEqualTo("abcabc");
    assertThat(r.rounds()).isEqualTo(2);
    assertThat(r.queries()).isEqualTo(6);
    assertThat(r.settled()).as("nothing was checked").isFalse();
  }

  @Test
  void untilSettledAsksWholeRoundsFromEveryUserAndCyclesTheQueries() throws Exception {
    Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    WarmUp.Result r = WarmUp.run(WarmUp.UNTIL_SETTLED, 4, queries, q -> {
      counts.computeIfAbsent(q, k -> new AtomicLong()).incrementAndGet();
    });
    // Settling needs quiet, steady rounds in a row after a first one (or the time limit, after many more).
    assertThat(r.rounds()).isGreaterThan(WarmUp.SETTLED_ROUNDS);
    assertThat(r.queries()).isEqualTo((long) r.rounds() * WarmUp.MIN_ROUND_QUERIES);
    long total = counts.values().stream().mapToLong(AtomicLong::get).sum();
    assertThat(total).isEqualTo(r.queries());
    for (AtomicLong c : counts.values()) { // 1,000 a round over three queries: each asked 333 or 334 times a round
      assertThat(c.get()).isBetween(r.rounds() * 333L, r.rounds() * 334L);
    }
    assertThat(r.seconds()).isPositive().isLessThan(WarmUp.MAX.toSeconds() + 10);
  }
}
