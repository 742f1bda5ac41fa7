package io.fedsearch.federation.payments.netting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cycle-cancellation algorithm on its own: known cycles, then random debt graphs. */
class CycleCancellationTest {
  @Test
  void aThreeCycleIsCancelledByItsSmallestDebt() {
    DebtGraph g = new DebtGraph().add("a", "b", 500).add("b", "c", 300).add("c", "a", 700);
    CycleCancellation.Result r = CycleCancellation.cancel(g, 16);
    assertThat(r.cycles()).singleElement().satisfies(c -> {
      assertThat(c.parties()).containsExactly("a", "b", "c");
      assertThat(c.amount()).isEqualTo(300);
    });
    assertThat(r.residual().owed("a", "b")).isEqualTo(200);
    assertThat(r.residual().owed("b", "c")).isZero();
    assertThat(r.residual().owed("c", "a")).isEqualTo(400);
    assertThat(r.cancelled()).isEqualTo(900);
    // no mutual debts here: bilateral netting saves nothing
    assertThat(CycleCancellation.bilateral(g).cancelled()).isZero();
  }

  @Test
  void aFiveCycleIsCancelledAndADebtOffTheCycleIsLeftAlone() {
    DebtGraph g = new DebtGraph().add("a", "b", 90).add("b", "c", 80).add("c", "d", 70).add("d", "e", 60)
        .add("e", "a", 50).add("a", "x", 40);
    CycleCancellation.Result r = CycleCancellation.cancelThrough(g, "c", 16);
    assertThat(r.cycles()).singleElement().satisfies(c -> {
      assertThat(c.parties()).containsExactly("c", "d", "e", "a", "b"); // listed from the coordinator
      assertThat(c.amount()).isEqualTo(50);
    });
    assertThat(r.residual().owed("e", "a")).isZero();
    assertThat(r.residual().owed("a", "b")).isEqualTo(40);
    assertThat(r.residual().owed("a", "x")).isEqualTo(40);
    assertThat(g.owed("e", "a")).as("the input graph is not changed").isEqualTo(50);
  }

  @Test
  void aLongerCycleIsPreferredWhenItCancelsMoreThanTheMutualDebtsItCompetesWith() {
    // a and b owe each other 10; b → c → a closes a 3-cycle through the same a → b debt
    DebtGraph g = new DebtGraph().add("a", "b", 10).add("b", "a", 10).add("b", "c", 10).add("c", "a", 10);
    assertThat(CycleCancellation.bilateral(g).cancelled()).isEqualTo(20);
    CycleCancellation.Result r = CycleCancellation.cancel(g, 16);
    assertThat(r.cancelled()).isEqualTo(30);
    assertThat(r.cycles()).singleElement().satisfies(c -> assertThat(c.parties()).hasSize(3));
    assertThat(r.residual().owed("b", "a")).isEqualTo(10);
    assertThat(CycleCancellation.cancelThrough(g, "c", 16).cycles()).singleElement()
        .satisfies(c -> assertThat(c.parties()).containsExactly("c", "a", "b"));
  }

  @Test
  void aCycleLongerThanTheLimitIsNotProposed() {
    DebtGraph g = new DebtGraph().add("a", "b", 9).add("b", "c", 9).add("c", "d", 9).add("d", "a", 9);
    assertThat(CycleCancellation.cancel(g, 3).cycles()).isEmpty();
    assertThat(CycleCancellation.cancel(g, 4).cycles()).hasSize(1);
  }

  @Test
  void randomGraphsKeepEveryNetPositionAndNeverCancelMoreThanAnEdgeOwes() {
    Random rnd = new Random(20261207);
    for (int round = 0; round < 500; round++) {
      int n = 2 + rnd.nextInt(12);
      DebtGraph g = new DebtGraph();
      int edges = rnd.nextInt(n * n);
      for (int e = 0; e < edges; e++) {
        int a = rnd.nextInt(n);
        int b = rnd.nextInt(n);
        if (a != b) {
          g.add("n" + a, "n" + b, 1 + rnd.nextInt(rnd.nextBoolean() ? 100 : 1_000_000));
        }
      }
      int maxLength = 2 + rnd.nextInt(15);
      boolean everywhere = rnd.nextBoolean();
      String through = "n" + rnd.nextInt(n);
      CycleCancellation.Result r = everywhere ? CycleCancellation.cancel(g, maxLength)
          : CycleCancellation.cancelThrough(g, through, maxLength);
      for (String node : g.nodes()) {
        assertThat(r.residual().net(node)).as("net position of %s, round %d", node, round).isEqualTo(g.net(node));
      }
      // what was cancelled from each edge, summed over the cycles, never exceeds that edge's debt
      Map<List<String>, Long> taken = new HashMap<>();
      for (CycleCancellation.Cycle c : r.cycles()) {
        assertThat(c.amount()).isPositive();
        assertThat(c.parties()).hasSizeBetween(2, maxLength).doesNotHaveDuplicates();
        for (int i = 0; i < c.parties().size(); i++) {
          taken.merge(List.of(c.parties().get(i), c.parties().get((i + 1) % c.parties().size())), c.amount(),
              Long::sum);
        }
      }
      taken.forEach((edge, t) -> {
        assertThat(t).as("cancelled from %s", edge).isLessThanOrEqualTo(g.owed(edge.get(0), edge.get(1)));
        assertThat(r.residual().owed(edge.get(0), edge.get(1))).isEqualTo(g.owed(edge.get(0), edge.get(1)) - t);
      });
      assertThat(r.residual().total()).isEqualTo(g.total() - r.cancelled());
      if (maxLength >= n) { // no cycle can be longer than the graph: none is left (through that node)
        assertThat(everywhere ? CycleCancellation.cancel(r.residual(), n).cycles()
            : CycleCancellation.cancelThrough(r.residual(), through, n).cycles()).isEmpty();
      }
      assertThat(CycleCancellation.cancel(g, maxLength).cancelled())
          .isGreaterThanOrEqualTo(CycleCancellation.bilateral(g).cancelled());
    }
  }

  @Test
  void anEmptyGraphHasNothingToCancel() {
    assertThat(CycleCancellation.cancel(new DebtGraph(), 16).cycles()).isEmpty();
    assertThat(new ArrayList<>(new DebtGraph().nodes())).isEmpty();
  }
}
