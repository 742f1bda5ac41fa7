package io.fedsearch.federation.payments.netting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most debt a set of cycles can cancel: a circulation {@code f} (at every node what flows in flows out) with
 * {@code 0 ≤ f(e) ≤ debt(e)} maximising {@code Σ f(e)} — the min-cost-flow formulation of MTCS, each unit of flow
 * on an edge costing −1. Solved by cancelling negative cycles of the residual graph (Bellman–Ford) until none is
 * left, which is the optimality condition; then decomposed into simple cycles. Greedy cycle cancellation can fall
 * short of it because a debt used up by one short cycle may have served a longer one that cancels more (a 2-cycle
 * cancels twice its amount, a 3-cycle three times). The number of improving steps is capped
 * ({@link #MAX_STEPS}); stopping early still leaves a valid, only less complete, circulation.
 */
final class MaxCirculation {
  /**
   * Improving steps before stopping: each costs one Bellman–Ford pass (nodes × edges, at most 33 × 4,224 on a
   * coordinator's graph), so a graph crafted to need many tiny steps costs seconds, not hours.
   */
  static final int MAX_STEPS = 5_000;

  private final List<String> names = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();
  private final int[] from;
  private final int[] to;
  private final long[] cap;
  private final long[] flow;

  private MaxCirculation(DebtGraph g) {
    List<Map.Entry<List<String>, Long>> edges = g.edges();
    from = new int[edges.size()];
    to = new int[edges.size()];
    cap = new long[edges.size()];
    flow = new long[edges.size()];
    for (int e = 0; e < edges.size(); e++) {
      from[e] = node(edges.get(e).getKey().get(0));
      to[e] = node(edges.get(e).getKey().get(1));
      cap[e] = edges.get(e).getValue();
    }
  }

  private int node(String name) {
    return index.computeIfAbsent(name, k -> {
      names.add(k);
      return names.size() - 1;
    });
  }

  /** The cycles of a maximum circulation of {@code g}, each as its parties and amount. */
  static List<CycleCancellation.Cycle> cycles(DebtGraph g) {
    MaxCirculation m = new MaxCirculation(g);
    m.solve();
    return m.decompose();
  }

  private void solve() {
    int n = names.size();
    int arcs = 2 * from.length; // arc 2e: along edge e (cost −1); arc 2e+1: back along it (cost +1, undoes flow)
    long[] dist = new long[n];
    int[] via = new int[n];
    for (int step = 0; step < MAX_STEPS; step++) {
      Arrays.fill(dist, 0); // a virtual source at distance 0 from every node finds a negative cycle anywhere
      Arrays.fill(via, -1);
      int relaxed = -1;
      for (int round = 0; round < n; round++) {
        relaxed = -1;
        for (int a = 0; a < arcs; a++) {
          int e = a >> 1;
          boolean forward = (a & 1) == 0;
          long residual = forward ? cap[e] - flow[e] : flow[e];
          if (residual <= 0) {
            continue;
          }
          int u = forward ? from[e] : to[e];
          int v = forward ? to[e] : from[e];
          long d = dist[u] + (forward ? -1 : 1);
          if (d < dist[v]) {
            dist[v] = d;
            via[v] = a;
            relaxed = v;
          }
        }
        if (relaxed < 0) {
          return; // no negative cycle: the circulation is maximal
        }
      }
      if (relaxed < 0) {
        return; // no node at all
      }
      int x = relaxed; // relaxed in the n-th round: walking back n arcs lands on the cycle
      for (int i = 0; i < n; i++) {
        x = tail(via[x]);
      }
      List<Integer> cycle = new ArrayList<>();
      long push = Long.MAX_VALUE;
      int y = x;
      do {
        int a = via[y];
        cycle.add(a);
        push = Math.min(push, (a & 1) == 0 ? cap[a >> 1] - flow[a >> 1] : flow[a >> 1]);
        y = tail(a);
      } while (y != x);
      for (int a : cycle) {
        flow[a >> 1] += (a & 1) == 0 ? push : -push;
      }
    }
  }

  private int tail(int arc) {
    int e = arc >> 1;
    return (arc & 1) == 0 ? from[e] : to[e];
  }

  private List<CycleCancellation.Cycle> decompose() {
    List<CycleCancellation.Cycle> out = new ArrayList<>();
    long[] f = flow.clone();
    List<List<Integer>> outEdges = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      outEdges.add(new ArrayList<>());
    }
    for (int e = 0; e < from.length; e++) {
      outEdges.get(from[e]).add(e);
    }
    for (int start = 0; start < from.length; start++) {
      while (f[start] > 0) {
        // follow edges with flow left (conservation guarantees one leaves every node entered) until a node repeats
        List<Integer> path = new ArrayList<>();
        int[] seenAt = new int[names.size()];
        Arrays.fill(seenAt, -1);
        int e = start;
        seenAt[from[e]] = 0;
        while (true) {
          path.add(e);
          int v = to[e];
          if (seenAt[v] >= 0) {
            List<Integer> loop = path.subList(seenAt[v], path.size());
            long amount = Long.MAX_VALUE;
            for (int c : loop) {
              amount = Math.min(amount, f[c]);
            }
            List<String> parties = new ArrayList<>();
            for (int c : loop) {
              f[c] -= amount;
              parties.add(names.get(from[c]));
            }
            out.add(new CycleCancellation.Cycle(parties, amount));
            break;
          }
          seenAt[v] = path.size();
          e = -1;
          for (int c : outEdges.get(v)) {
            if (f[c] > 0) {
              e = c;
              break;
            }
          }
          if (e < 0) {
            throw new IllegalStateException("flow is not a circulation at " + names.get(v));
          }
        }
      }
    }
    return out;
  }
}
