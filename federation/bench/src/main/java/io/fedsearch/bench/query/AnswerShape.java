package io.fedsearch.bench.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.query.FederatedResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * What the federated answers of {@code bench federation} were made of, beside how long they took: the nodes each
 * query was sent to and the nodes its page came from ({@code mean_nodes_asked}, {@code mean_nodes_on_page}),
 * latency by the number of nodes asked ({@code by_nodes_asked}), and the slowest queries ({@code slowest}).
 */
final class AnswerShape {
  private AnswerShape() {}

  /** The nodes that answered a federated query (skipped and backed-off ones were not asked). */
  static long nodesAsked(FederatedResult r) {
    return r.nodes().stream().filter(n -> n.status().equals(FederatedResult.NodeStatus.OK)).count();
  }

  /** Mean over the answers of the peers other than {@code self} that answered: the round trips a query made. */
  static double meanRemoteAsked(FederatedResult[] answers, String self) {
    return Arrays.stream(answers).mapToLong(r -> r.nodes().stream()
        .filter(n -> n.status().equals(FederatedResult.NodeStatus.OK) && !n.peer().equals(self)).count())
        .average().orElse(0);
  }

  /** The nodes whose entries are on the page: an exact answer cannot leave any of them out. */
  static long nodesOnPage(FederatedResult r) {
    return r.works().stream().flatMap(w -> w.listings().stream()).map(FederatedResult.Listing::peer).distinct()
        .count();
  }

  /**
   * @param fedMs federated latency per pass and query (pass 0 names the slowest), {@code singleMs} the single index's
   */
  static void report(ObjectNode out, List<String> queries, FederatedResult[] answers, double[][] fedMs,
      double[][] singleMs) {
    out.put("mean_nodes_asked", FederationBench.round(Arrays.stream(answers).mapToLong(AnswerShape::nodesAsked)
        .average().orElse(0)));
    // The gap to mean_nodes_asked is all that smarter routing (score bounds, say) could still save.
    out.put("mean_nodes_on_page", FederationBench.round(Arrays.stream(answers).mapToLong(AnswerShape::nodesOnPage)
        .average().orElse(0)));
    byNodesAsked(out.putObject("by_nodes_asked"), answers, fedMs, singleMs);
    // The slowest federated queries of the latency pass, to see what the tail is made of.
    var slow = out.putArray("slowest");
    Integer[] order = new Integer[queries.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(fedMs[0][y], fedMs[0][x]));
    for (int k = 0; k < Math.min(5, order.length); k++) {
      int i = order[k];
      slow.addObject().put("query", queries.get(i)).put("ms", FederationBench.round(fedMs[0][i]))
          .put("single_ms", FederationBench.round(singleMs[0][i]))
          .put("nodes_asked", nodesAsked(answers[i]))
          .put("relaxed", answers[i].relaxed()).put("total_hits", answers[i].totalHits());
    }
  }

  /**
   * Latency by the number of nodes a query was sent to (all passes pooled): what sets the tail. A query whose terms
   * every node holds is sent to every node, and on one machine their searches share its cores.
   */
  private static void byNodesAsked(ObjectNode out, FederatedResult[] answers, double[][] fedMs, double[][] singleMs) {
    TreeMap<Long, List<Integer>> groups = new TreeMap<>();
    for (int i = 0; i < answers.length; i++) {
      groups.computeIfAbsent(nodesAsked(answers[i]), k -> new ArrayList<>()).add(i);
    }
    groups.forEach((asked, members) -> {
      double[] fed = new double[members.size() * fedMs.length];
      double[] single = new double[fed.length];
      int n = 0;
      for (int pass = 0; pass < fedMs.length; pass++) {
        for (int i : members) {
          fed[n] = fedMs[pass][i];
          single[n++] = singleMs[pass][i];
        }
      }
      ObjectNode g = out.putObject(Long.toString(asked));
      g.put("queries", members.size());
      g.put("relaxed", members.stream().filter(i -> answers[i].relaxed()).count());
      g.put("p50_ms", FederationBench.round(FederationBench.percentile(fed, 0.50)));
      g.put("p99_ms", FederationBench.round(FederationBench.percentile(fed, 0.99)));
      g.put("single_p50_ms", FederationBench.round(FederationBench.percentile(single, 0.50)));
    });
  }
}
