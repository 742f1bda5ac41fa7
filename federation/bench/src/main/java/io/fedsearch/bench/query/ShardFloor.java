package io.fedsearch.bench.query;

import io.fedsearch.federation.query.FederatedResult;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.SearchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The best any federation of these shards could do on this machine: the searches of the shards a federated query
 * asked, each with the global statistics, run in this process on one thread per core, with no network, encryption,
 * encoding, verification or merging. Its latency against the single index's is a floor under {@code p99_ratio}
 * that no protocol can go below here; the federated figure over it is what the protocol itself costs.
 */
final class ShardFloor implements AutoCloseable {
  /** One query as the federation asked it: the shards it went to and the request each of them ran. */
  record Asked(List<EntryIndex> shards, SearchRequest request) {}

  private final ExecutorService cores = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
  private final Map<String, EntryIndex> shards;
  private final EntryIndex single;

  /**
   * @param shards the cluster's indexes by the peer id (text) of the node that serves each: node statuses name their
   *     peer, while platform names need not be one per node (signed platform records may name several nodes)
   */
  ShardFloor(Map<String, EntryIndex> shards, EntryIndex single) {
    this.shards = Map.copyOf(shards);
    this.single = single;
  }

  /**
   * The query {@code r} answered, as its shards would run it: the nodes that answered it, its operator (relaxed to
   * ANY if the federation did) and the global statistics, which are the single index's over the same union.
   */
  Asked asked(FederatedResult r, String query, int limit) {
    List<EntryIndex> asked = new ArrayList<>();
    for (FederatedResult.NodeStatus n : r.nodes()) {
      if (n.status().equals(FederatedResult.NodeStatus.OK)) {
        asked.add(java.util.Objects.requireNonNull(shards.get(n.peer()), () -> "no shard for peer " + n.peer()));
      }
    }
    SearchRequest.Operator op = r.relaxed() ? SearchRequest.Operator.ANY : SearchRequest.Operator.ALL;
    QueryStats global = single.statistics(query, op);
    return new Asked(List.copyOf(asked), SearchRequest.of(query, limit).withOperator(op).withStats(false, global));
  }

  /** Runs the query's shard searches side by side and returns the milliseconds until the last one is done. */
  double timeMs(Asked q) throws InterruptedException, ExecutionException {
    long t0 = System.nanoTime();
    List<Future<EntryIndex.Served>> running = new ArrayList<>(q.shards().size());
    for (EntryIndex shard : q.shards()) {
      running.add(cores.submit(() -> shard.serve(q.request())));
    }
    for (Future<EntryIndex.Served> f : running) {
      f.get();
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  /**
   * The shard searches one after another on this thread, their total divided by the cores they could have shared
   * (at most one shard per core): the same floor under perfect scheduling, with no hand-off between threads.
   */
  double idealMs(Asked q) {
    long t0 = System.nanoTime();
    serve(q);
    int cores = Math.min(Runtime.getRuntime().availableProcessors(), Math.max(1, q.shards().size()));
    return (System.nanoTime() - t0) / 1e6 / cores;
  }

  /** The query's shard searches, one after another on this thread: their CPU, with no hand-off at all. */
  void serve(Asked q) {
    for (EntryIndex shard : q.shards()) {
      shard.serve(q.request());
    }
  }

  @Override
  public void close() {
    cores.shutdownNow();
  }
}
