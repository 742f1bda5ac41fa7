package io.fedsearch.federation.payments.netting;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who owes whom how much (drops), by node id: an edge {@code debtor → creditor} per positive debt. Mutual debts
 * are kept as the two edges they are (cancelling them is a 2-cycle, see {@link CycleCancellation}). A node's
 * {@linkplain #net net position} is what it is owed minus what it owes; cancelling a cycle leaves every node's net
 * position as it was, which is what makes set-off fair: nobody ends up owed less than they owe, or the reverse.
 */
public final class DebtGraph {
  /** debtor → (creditor → amount), insertion-ordered so that runs are reproducible. */
  private final Map<String, Map<String, Long>> owes = new LinkedHashMap<>();

  /** Adds {@code amount} (positive) to what {@code debtor} owes {@code creditor}. */
  public DebtGraph add(String debtor, String creditor, long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("a debt is not negative: " + amount);
    }
    if (debtor.equals(creditor)) {
      throw new IllegalArgumentException("a node does not owe itself");
    }
    if (amount > 0) {
      owes.computeIfAbsent(debtor, k -> new LinkedHashMap<>()).merge(creditor, amount, Math::addExact);
    }
    return this;
  }

  /** What {@code debtor} owes {@code creditor} (0 when nothing). */
  public long owed(String debtor, String creditor) {
    return owes.getOrDefault(debtor, Map.of()).getOrDefault(creditor, 0L);
  }

  /** Those {@code debtor} owes something, in the order first added. */
  public Set<String> creditorsOf(String debtor) {
    return Collections.unmodifiableSet(owes.getOrDefault(debtor, Map.of()).keySet());
  }

  /** Every node that owes or is owed. */
  public Set<String> nodes() {
    Set<String> out = new LinkedHashSet<>();
    owes.forEach((d, cs) -> {
      out.add(d);
      out.addAll(cs.keySet());
    });
    return out;
  }

  /** What {@code node} is owed minus what it owes. */
  public long net(String node) {
    long n = 0;
    for (Map.Entry<String, Map<String, Long>> e : owes.entrySet()) {
      if (e.getKey().equals(node)) {
        for (long v : e.getValue().values()) {
          n -= v;
        }
      } else {
        n += e.getValue().getOrDefault(node, 0L);
      }
    }
    return n;
  }

  /** The sum of every debt. */
  public long total() {
    long t = 0;
    for (Map<String, Long> cs : owes.values()) {
      for (long v : cs.values()) {
        t += v;
      }
    }
    return t;
  }

  /** Every edge as {@code [debtor, creditor]} with its amount. */
  public List<Map.Entry<List<String>, Long>> edges() {
    List<Map.Entry<List<String>, Long>> out = new ArrayList<>();
    owes.forEach((d, cs) -> cs.forEach((c, v) -> out.add(Map.entry(List.of(d, c), v))));
    return out;
  }

  /** Lowers what {@code debtor} owes {@code creditor} by {@code amount}, which must not exceed it. */
  void reduce(String debtor, String creditor, long amount) {
    long have = owed(debtor, creditor);
    if (amount <= 0 || amount > have) {
      throw new IllegalArgumentException("cannot cancel " + amount + " of a debt of " + have);
    }
    Map<String, Long> cs = owes.get(debtor);
    if (amount == have) {
      cs.remove(creditor);
      if (cs.isEmpty()) {
        owes.remove(debtor);
      }
    } else {
      cs.put(creditor, have - amount);
    }
  }

  public DebtGraph copy() {
    DebtGraph g = new DebtGraph();
    owes.forEach((d, cs) -> g.owes.put(d, new LinkedHashMap<>(cs)));
    return g;
  }
}
