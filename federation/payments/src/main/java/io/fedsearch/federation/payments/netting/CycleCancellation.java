package io.fedsearch.federation.payments.netting;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Multilateral set-off by cycle cancellation (the approach of MTCS, multilateral trade-credit set-off): wherever
 * debts run in a cycle {@code a → b → … → a}, the smallest debt on it can be cancelled from every edge of the cycle
 * without changing anyone's net position, so that amount never has to move through a channel. Mutual debts are the
 * 2-cycles, cancelled first: that step alone is exactly bilateral netting, so multilateral set-off never saves less
 * than bilateral. Longer cycles follow, shortest first (breadth-first search from each node in turn): every
 * cancellation empties at least one edge, so the work is bounded by the number of edges times one search, and when
 * it ends the residual graph has no cycle up to {@code maxLength} parties.
 *
 * <p>The greedy order is not always the most that cycles can cancel: a debt used up by a short cycle may have
 * served a longer one that cancels more. So {@link #cancel} and {@link #cancelThrough} also solve the min-cost-flow
 * formulation of MTCS ({@link MaxCirculation}) and keep whichever cancels more; ties go to the greedy cycles, which
 * are fewer and shorter, so cheaper to get signed. What it deliberately does not do: move debts onto new edges
 * (novation, A paying C what B owed C): every cancelled debt is one that existed, and only the parties to it sign.
 */
public final class CycleCancellation {
  /**
   * One cancelled cycle: {@code parties.get(i)} owes {@code parties.get(i + 1)}, the last owes the first, and
   * {@code amount} is taken off each of those debts.
   */
  public record Cycle(List<String> parties, long amount) {
    public Cycle {
      parties = List.copyOf(parties);
    }

    /** Debt that no longer has to be paid: the amount off each of the cycle's edges. */
    public long cancelled() {
      return amount * parties.size();
    }
  }

  /** The cycles cancelled and the debts left. */
  public record Result(List<Cycle> cycles, DebtGraph residual) {
    public long cancelled() {
      return cycles.stream().mapToLong(Cycle::cancelled).sum();
    }
  }

  private CycleCancellation() {}

  /** Bilateral netting alone: every pair of mutual debts offset by the smaller. */
  public static Result bilateral(DebtGraph debts) {
    DebtGraph g = debts.copy();
    List<Cycle> out = new ArrayList<>();
    cancelMutual(g, out);
    return new Result(out, g);
  }

  /**
   * Cycles of up to {@code maxLength} parties anywhere: the better of the greedy order (mutual debts first, then
   * shortest cycles) and the cycles of a maximum circulation ({@link MaxCirculation}) that fit the length limit.
   */
  public static Result cancel(DebtGraph debts, int maxLength) {
    DebtGraph g = debts.copy();
    List<Cycle> out = new ArrayList<>();
    cancelMutual(g, out);
    for (String node : List.copyOf(g.nodes())) {
      cancelThrough(g, node, maxLength, out);
    }
    return better(new Result(out, g), fromCirculation(debts, null, maxLength));
  }

  /**
   * Only cycles through {@code node} (a coordinator proposes those it is a party to), each listed from
   * {@code node}: the better of the greedy order (its mutual debts first) and the maximum circulation's cycles
   * through it.
   */
  public static Result cancelThrough(DebtGraph debts, String node, int maxLength) {
    DebtGraph g = debts.copy();
    List<Cycle> out = new ArrayList<>();
    for (String c : List.copyOf(g.creditorsOf(node))) {
      long m = Math.min(g.owed(node, c), g.owed(c, node));
      if (m > 0) {
        cancel(g, List.of(node, c), m, out);
      }
    }
    cancelThrough(g, node, maxLength, out);
    return better(new Result(out, g), fromCirculation(debts, node, maxLength));
  }

  /** Ties go to the greedy result: fewer, shorter cycles to sign. */
  private static Result better(Result greedy, Result circulation) {
    return circulation.cancelled() > greedy.cancelled() ? circulation : greedy;
  }

  /**
   * The maximum circulation's cycles (those through {@code through} when not null) applied to a copy, then
   * whatever cycles the residual graph still has, greedily.
   */
  private static Result fromCirculation(DebtGraph debts, String through, int maxLength) {
    DebtGraph g = debts.copy();
    List<Cycle> out = new ArrayList<>();
    for (Cycle c : MaxCirculation.cycles(debts)) {
      int at = through == null ? 0 : c.parties().indexOf(through);
      if (at < 0 || c.parties().size() > maxLength) {
        continue; // a subset of a circulation's cycles still fits within every debt
      }
      List<String> rotated = new ArrayList<>(c.parties().subList(at, c.parties().size()));
      rotated.addAll(c.parties().subList(0, at));
      cancel(g, rotated, c.amount(), out);
    }
    // the cycles left out (too long, or not through the node) may leave room for others that are not
    for (String node : through == null ? List.copyOf(g.nodes()) : List.of(through)) {
      cancelThrough(g, node, maxLength, out);
    }
    return new Result(out, g);
  }

  private static void cancelMutual(DebtGraph g, List<Cycle> out) {
    for (Map.Entry<List<String>, Long> e : g.edges()) {
      String a = e.getKey().get(0);
      String b = e.getKey().get(1);
      long m = Math.min(g.owed(a, b), g.owed(b, a));
      if (m > 0) {
        cancel(g, List.of(a, b), m, out);
      }
    }
  }

  private static void cancelThrough(DebtGraph g, String node, int maxLength, List<Cycle> out) {
    while (true) {
      List<String> cycle = shortestCycle(g, node, maxLength);
      if (cycle == null) {
        return;
      }
      long m = Long.MAX_VALUE;
      for (int i = 0; i < cycle.size(); i++) {
        m = Math.min(m, g.owed(cycle.get(i), cycle.get((i + 1) % cycle.size())));
      }
      cancel(g, cycle, m, out);
    }
  }

  private static void cancel(DebtGraph g, List<String> cycle, long amount, List<Cycle> out) {
    for (int i = 0; i < cycle.size(); i++) {
      g.reduce(cycle.get(i), cycle.get((i + 1) % cycle.size()), amount);
    }
    out.add(new Cycle(cycle, amount));
  }

  /** The shortest cycle through {@code start} of at most {@code maxLength} parties, from {@code start}; or null. */
  private static List<String> shortestCycle(DebtGraph g, String start, int maxLength) {
    Map<String, String> parent = new HashMap<>();
    Map<String, Integer> depth = new HashMap<>();
    ArrayDeque<String> queue = new ArrayDeque<>();
    parent.put(start, null);
    depth.put(start, 1);
    queue.add(start);
    while (!queue.isEmpty()) {
      String u = queue.poll();
      for (String v : g.creditorsOf(u)) {
        if (v.equals(start) && depth.get(u) >= 2) {
          List<String> path = new ArrayList<>();
          for (String x = u; x != null; x = parent.get(x)) {
            path.add(0, x);
          }
          return path;
        }
        if (!parent.containsKey(v) && depth.get(u) < maxLength) {
          parent.put(v, u);
          depth.put(v, depth.get(u) + 1);
          queue.add(v);
        }
      }
    }
    return null;
  }
}
