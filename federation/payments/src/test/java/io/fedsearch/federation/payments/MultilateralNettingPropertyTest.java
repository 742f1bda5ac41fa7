package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.payments.netting.CycleJournal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random debts between five nodes, netting rounds from random coordinators while requests and answers are lost at
 * random, then rounds with nothing lost: every cycle ends recorded by all its parties or by none, and each node's
 * net position (what the others' books say they owe it, minus what its own book says it owes) is exactly what the
 * debts made it — netting moved nothing.
 */
@Timeout(300)
class MultilateralNettingPropertyTest {
  static final int NODES = 5;

  @TempDir Path dir;

  @Test
  void everyCycleIsRecordedByAllOrNoneAndNetPositionsNeverMove() {
    for (long seed : List.of(1L, 2L, 3L)) {
      try (CycleNet net = new CycleNet(dir.resolve("seed" + seed), NODES)) {
        run(net, new Random(seed));
      }
    }
  }

  private void run(CycleNet net, Random rnd) {
    long[] position = new long[NODES];
    net.rule = (type, to) -> {
      double r = rnd.nextDouble();
      return r < 0.1 ? CycleNet.Fate.LOSE_REQUEST : r < 0.2 ? CycleNet.Fate.LOSE_RESPONSE : CycleNet.Fate.DELIVER;
    };
    for (int round = 0; round < 12; round++) {
      for (int k = 0; k < 4; k++) {
        int a = rnd.nextInt(NODES);
        int b = rnd.nextInt(NODES);
        if (a != b) {
          long amount = 1 + rnd.nextInt(10_000);
          net.owe(a, b, amount);
          position[a] -= amount;
          position[b] += amount;
        }
      }
      net.nodes.get(rnd.nextInt(NODES)).payouts().netCycles();
    }
    net.rule = (type, to) -> CycleNet.Fate.DELIVER;
    net.clock.advance(java.time.Duration.ofHours(1));
    for (int i = 0; i < NODES; i++) { // each node settles what it coordinated and what it is in doubt about
      net.nodes.get(i).payouts().netCycles();
    }
    for (int i = 0; i < NODES; i++) { // and once more: a decision fetched above may have been one resent here
      net.nodes.get(i).payouts().netCycles();
    }

    Map<String, Set<String>> statesByNonce = new HashMap<>();
    Map<String, Integer> rowsByNonce = new HashMap<>();
    int recorded = 0;
    for (Payments p : net.nodes) {
      for (CycleJournal.Row r : p.cycles().history()) {
        String state = switch (r.state()) {
          case "recorded", "done" -> "recorded";
          case "aborted" -> "aborted";
          default -> r.state(); // signed, collecting, committed, aborting: unresolved
        };
        statesByNonce.computeIfAbsent(r.nonce(), k -> new HashSet<>()).add(state);
        rowsByNonce.merge(r.nonce(), 1, Integer::sum);
        if (state.equals("recorded") && r.role().equals("coordinator")) {
          recorded++;
        }
      }
    }
    statesByNonce.forEach((nonce, states) -> assertThat(states).as("cycle %s", nonce).hasSize(1)
        .containsAnyOf("recorded", "aborted"));
    for (Payments p : net.nodes) {
      for (CycleJournal.Row r : p.cycles().history()) {
        if (statesByNonce.get(r.nonce()).contains("recorded")) {
          assertThat(rowsByNonce.get(r.nonce())).as("every party holds the recorded cycle %s", r.nonce())
              .isEqualTo(r.statement().parties().size());
          r.statement().verifyAll(r.signatures());
        }
      }
    }
    assertThat(recorded).as("some cycle got through despite the losses").isPositive();
    for (int i = 0; i < NODES; i++) {
      long net0 = 0;
      for (int j = 0; j < NODES; j++) {
        if (j != i) {
          net0 += net.due(j, i) - net.due(i, j);
        }
      }
      assertThat(net0).as("net position of node %d", i).isEqualTo(position[i]);
    }
  }
}
