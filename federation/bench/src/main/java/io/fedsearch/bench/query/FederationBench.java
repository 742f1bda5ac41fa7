package io.fedsearch.bench.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.bench.p2p.RawSocketCost;
import io.fedsearch.federation.p2p.LinkDelay;
import io.fedsearch.federation.query.FederatedResult;
import io.fedsearch.federation.query.FederatedSearch;
import io.fedsearch.bench.indexer.KnownItemQueries;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.search.SearchHit;
import io.fedsearch.indexer.search.SearchRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code fedsearch bench federation}: N nodes on loopback ({@link LocalCluster}) with the entries split across them,
 * and one Lucene index over the union as the baseline, measured in the same run on the same queries: per-query
 * latency (p50/p99) of a federated exact-merge search from node 0 against the single index, federated throughput at
 * several concurrencies, and how often the federated top-10 equals the single index's (same CIDs, same order,
 * scores within 1e-4 relative). Both sides apply the same operator rule: ALL, then ANY when nothing matches. The
 * result cache is off so every federated query goes over the network. The headline federated figures are with the
 * per-peer statistics cache warm (as for repeated queries in production; warm-up passes fill it, and every answer
 * still re-checks the statistics); {@code two_phase_*} are the same queries with that cache off, both phases each.
 * Latency is measured in passes over the queries ({@link LatencyPasses}) and each p50/p99 is the median pass's
 * (all passes' p99 are listed): a stall of the shared machine then moves one pass, not the figure.
 * {@code novel_*} come first: every other query is asked until the JIT has settled ({@link WarmUp}), then each
 * remaining one once, so what the node knows of its peers' terms and versions comes from other queries only, as for
 * a query a user asks a long-running node for the first time; they count the statistics requests it still needed and
 * the nodes it asked.
 */
public final class FederationBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CPU_PASSES = 5;
  /** Throughput is read over at least this long ({@link #throughput}). */
  private static final long MIN_QPS_NANOS = 2_000_000_000L;
  /** At most this share of the data is held out to be written during the churn pass. */
  public static final double CHURN_SHARE = 0.05;
  private static final int CHURN_SECONDS_MAX = 60;

  /** How entries are spread over the nodes. */
  public enum Split { ROUND_ROBIN, RANDOM }

  /** {@link Options#warmup()}: warm up until the JIT has settled ({@link WarmUp}) rather than a number of passes. */
  public static final int WARM_UP_UNTIL_SETTLED = WarmUp.UNTIL_SETTLED;

  /**
   * @param nodes number of nodes (≥ 1)
   * @param data JSON Lines catalogs, joined
   * @param queries known-item query files, joined
   * @param limit result page size (top-k compared)
   * @param warmup passes over the query set before measuring (each side), or {@link WarmUp#UNTIL_SETTLED}
   * @param concurrency the concurrencies at which federated throughput is measured
   * @param deadline the user's deadline per federated query
   * @param vocabularies whether the asking node fetches its peers' vocabularies (the default; off to compare)
   * @param churn entries per second written to the nodes during a last pass over the queries (0: no such pass);
   *     they are held out of the initial split, at most {@link #CHURN_SHARE} of the data
   * @param link the emulated one-way delay on every link between nodes ({@link LinkDelay#NONE}: loopback as is)
   */
  public record Options(int nodes, List<Path> data, List<Path> queries, Split split, long seed, int limit, int warmup,
      List<Integer> concurrency, Duration deadline, int maxQueries, boolean vocabularies, int churn, LinkDelay link) {
    /** Loopback as it is: no emulated link delay. */
    public Options(int nodes, List<Path> data, List<Path> queries, Split split, long seed, int limit, int warmup,
        List<Integer> concurrency, Duration deadline, int maxQueries, boolean vocabularies, int churn) {
      this(nodes, data, queries, split, seed, limit, warmup, concurrency, deadline, maxQueries, vocabularies, churn,
          LinkDelay.NONE);
    }

    public Options {
      java.util.Objects.requireNonNull(link, "link");
      if (nodes < 1 || nodes > 64) {
        throw new IllegalArgumentException("--nodes: must be between 1 and 64");
      }
      if (data.isEmpty() || queries.isEmpty()) {
        throw new IllegalArgumentException("--data and --queries: need at least one file each");
      }
      if (limit < 1 || limit > 100) {
        throw new IllegalArgumentException("--limit: must be between 1 and 100");
      }
      if ((warmup < 0 || warmup > 20) && warmup != WarmUp.UNTIL_SETTLED) {
        throw new IllegalArgumentException("--warmup: must be auto or between 0 and 20");
      }
      if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1 || c > 256)) {
        throw new IllegalArgumentException("--concurrency: values between 1 and 256");
      }
      if (maxQueries < 1) {
        throw new IllegalArgumentException("--max-queries: must be positive");
      }
      if (churn < 0 || churn > 10_000) {
        throw new IllegalArgumentException("--churn: must be between 0 and 10000 entries per second");
      }
      data = List.copyOf(data);
      queries = List.copyOf(queries);
      concurrency = List.copyOf(concurrency);
    }
  }

  private FederationBench() {}

  public static ObjectNode run(Options o, Path workDir) throws Exception {
    EntryParser parser = new EntryParser(null);
    List<Entry> all = new ArrayList<>();
    for (Path f : o.data()) {
      for (String line : Files.readAllLines(f)) {
        if (!line.isBlank()) {
          all.add(parser.parse(line));
        }
      }
    }
    List<String> queries = new ArrayList<>();
    for (Path f : o.queries()) {
      KnownItemQueries.read(f).queries().forEach(q -> queries.add(q.text()));
    }
    if (queries.size() > o.maxQueries()) {
      queries.subList(o.maxQueries(), queries.size()).clear();
    }
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("--queries: the files hold no query");
    }
    List<List<Entry>> shards = new ArrayList<>();
    for (int i = 0; i < o.nodes(); i++) {
      shards.add(new ArrayList<>());
    }
    Random rnd = new Random(o.seed());
    // Entries written during the churn pass: held out of the split, so they are new to the federation.
    List<Entry> heldOut = new ArrayList<>();
    if (o.churn() > 0) {
      int n = (int) Math.min(all.size() * CHURN_SHARE, (double) o.churn() * CHURN_SECONDS_MAX);
      List<Entry> copy = new ArrayList<>(all);
      Collections.shuffle(copy, new Random(o.seed() + 1));
      heldOut.addAll(copy.subList(0, n));
      Set<Entry> out = Collections.newSetFromMap(new IdentityHashMap<>());
      out.addAll(heldOut);
      all.removeIf(out::contains);
    }
    for (int i = 0; i < all.size(); i++) {
      int shard = o.split() == Split.ROUND_ROBIN ? i % o.nodes() : rnd.nextInt(o.nodes());
      shards.get(shard).add(all.get(i));
    }

    NodeKey singleKey = NodeKey.generate();
    try (EntryIndex single = EntryIndex.open(Files.createTempDirectory(workDir, "single"), singleKey);
        LocalCluster cluster = LocalCluster.start(Files.createTempDirectory(workDir, "cluster"), shards, o.link());
        ShardFloor floor = new ShardFloor(cluster.nodes().stream().collect(java.util.stream.Collectors.toMap(
            n -> n.host().peerId().toString(), LocalCluster.Node::index)), single)) {
      all.parallelStream().map(e -> SignedEntry.sign(e, singleKey)).toList().forEach(single::upsert);
      single.commit();
      FederatedSearch fed = cluster.node(0).federation().search();
      fed.setCacheTtl(Duration.ZERO);
      fed.setVocabularies(o.vocabularies());

      // Queries never asked before: warm up on every other query, then ask the rest once each. What the node knows
      // of its peers' term statistics and versions then comes only from other queries, as for a user's new query.
      List<String> seen = new ArrayList<>();
      List<String> novel = new ArrayList<>();
      for (int i = 0; i < queries.size(); i++) {
        (i % 2 == 0 ? seen : novel).add(queries.get(i));
      }
      WarmUp.Result warm = WarmUp.run(o.warmup(), WarmUp.users(1, o.link()), seen, q -> {
        fed.search(query(q, o));
        single(single, q, o.limit());
      });
      double[] novelMs = new double[novel.size()];
      double[] novelSingleMs = new double[novel.size()];
      long statsBefore = fed.statisticsRequests();
      long novelAsked = 0;
      int twoRoundTrips = 0;
      for (int i = 0; i < novel.size(); i++) {
        long askedBefore = fed.statisticsRequests();
        long t0 = System.nanoTime();
        FederatedResult r = fed.search(query(novel.get(i), o));
        long t1 = System.nanoTime();
        single(single, novel.get(i), o.limit());
        twoRoundTrips += fed.statisticsRequests() > askedBefore ? 1 : 0;
        novelMs[i] = (t1 - t0) / 1e6;
        novelSingleMs[i] = (System.nanoTime() - t1) / 1e6;
        novelAsked += AnswerShape.nodesAsked(r);
      }
      long novelStats = fed.statisticsRequests() - statsBefore;

      // The node learns what the novel queries taught it, as for any other, and the JIT settles again: the novel
      // queries took paths the repeated ones had not (statistics round trips, relaxing, vocabulary checks), C2
      // deoptimised code it had compiled without them, and went on recompiling for ~0.7 s of the next 2 s (one run,
      // when this was two fixed passes) — inside the latency passes, whose tail it then made.
      WarmUp.Result rewarm = WarmUp.run(o.warmup(), WarmUp.users(1, o.link()), queries, q -> {
        fed.search(query(q, o));
        single(single, q, o.limit());
      });

      // Latency, interleaved so both sides see the same machine load; agreement from the first pass's answers.
      // Several passes, each figure the median pass's: one stall of this shared machine lands in one pass's tail.
      // The floor (ShardFloor: the same shard searches without the protocol) runs a pass of its own after each
      // federated pass — apart, so as not to disturb the federated figures, but close, so that p99_ms / floor_p99_ms
      // compares passes under the same load (measured after all the federated passes, the floor's p99 moved by a
      // third between runs).
      long jitBefore = WarmUp.jitMillis();
      double[][] fedPasses = new double[LatencyPasses.MAX][queries.size()];
      double[][] singlePasses = new double[LatencyPasses.MAX][queries.size()];
      double[][] floorPasses = new double[LatencyPasses.MAX][queries.size()];
      double[][] idealPasses = new double[LatencyPasses.MAX][queries.size()];
      ShardFloor.Asked[] asked = new ShardFloor.Asked[queries.size()];
      int passes = LatencyPasses.MAX;
      // Each pass, the floor's too, starts from a collected heap and pays for its own garbage only; the collections
      // and the floor's passes are kept out of the federated passes' timing (and of how many passes fit in ~5 s).
      System.gc();
      long passStart = System.nanoTime();
      long besideNanos = 0;
      int agree = 0;
      int incomplete = 0;
      FederatedResult[] answers = new FederatedResult[queries.size()];
      List<String> disagreements = new ArrayList<>();
      for (int pass = 0; pass < passes; pass++) {
        for (int i = 0; i < queries.size(); i++) {
          String q = queries.get(i);
          long t0 = System.nanoTime();
          FederatedResult r = fed.search(query(q, o));
          long t1 = System.nanoTime();
          List<SearchHit> expected = single(single, q, o.limit());
          long t2 = System.nanoTime();
          fedPasses[pass][i] = (t1 - t0) / 1e6;
          singlePasses[pass][i] = (t2 - t1) / 1e6;
          if (pass > 0) {
            continue;
          }
          answers[i] = r;
          if (!r.nodes().stream().allMatch(FederatedResult.NodeStatus::complete)) {
            incomplete++;
          }
          if (sameTop(expected, r)) {
            agree++;
          } else if (disagreements.size() < 3) {
            disagreements.add(q);
          }
        }
        long beside = System.nanoTime();
        if (pass == 0) {
          passes = LatencyPasses.count(beside - passStart);
          for (int i = 0; i < queries.size(); i++) {
            asked[i] = floor.asked(answers[i], queries.get(i), o.limit());
          }
        }
        System.gc();
        for (int i = 0; i < queries.size(); i++) {
          floorPasses[pass][i] = floor.timeMs(asked[i]);
          idealPasses[pass][i] = floor.idealMs(asked[i]);
        }
        System.gc();
        besideNanos += System.nanoTime() - beside;
      }
      long jitLatency = WarmUp.jitMillis() - jitBefore;
      double latencySeconds = (System.nanoTime() - passStart - besideNanos) / 1e9;
      double[][] fedMs = Arrays.copyOf(fedPasses, passes);
      double[][] singleMs = Arrays.copyOf(singlePasses, passes);
      double[][] floorMs = Arrays.copyOf(floorPasses, passes);
      double[][] idealMs = Arrays.copyOf(idealPasses, passes);

      // CPU per query, federated (every node's work: the nodes share this process) and single, each side alone over
      // the whole query set: a figure the machine's scheduling noise moves far less than a tail latency.
      long jitBeforeCpu = WarmUp.jitMillis();
      // The same shard searches with no protocol (ShardFloor): what sharding itself costs over one index, so that
      // cpu_ratio splits into the floor's share and the protocol's (encryption, encoding, verification, threads).
      Map<String, ShardFloor.Asked> askedBy = new HashMap<>();
      for (int i = 0; i < queries.size(); i++) {
        askedBy.putIfAbsent(queries.get(i), asked[i]);
      }
      // The floor makes no round trips. A plain TCP exchange (1 KiB each way, no protocol) per remote peer asked is
      // what any design asking the same peers pays on this machine on top of it: the part of cpu_ratio that no
      // protocol can remove (ten nodes in one process, so both ends of every round trip are counted). One exchange
      // per "query", in passes taken in turn with the others'.
      Map<String, QueryCost> costs;
      try (RawSocketCost raw = RawSocketCost.open()) {
        Map<String, Consumer<String>> sides = new LinkedHashMap<>();
        sides.put("federated", q -> fed.search(query(q, o)));
        sides.put("single", q -> single(single, q, o.limit()));
        sides.put("floor", q -> floor.serve(askedBy.get(q)));
        sides.put("raw", q -> raw.call());
        costs = QueryCost.interleaved(CPU_PASSES, queries, sides);
      }
      QueryCost fedCost = costs.get("federated");
      QueryCost singleCost = costs.get("single");
      QueryCost floorCost = costs.get("floor");
      double rawRoundTripMs = costs.get("raw").cpuMs();
      long jitCpu = WarmUp.jitMillis() - jitBeforeCpu;
      double remoteAsked = AnswerShape.meanRemoteAsked(answers, cluster.node(0).host().peerId().toString());
      double roundTripFloorMs = floorCost.cpuMs() + remoteAsked * rawRoundTripMs;

      // The same pass with every exact query running both phases (no per-peer statistics cache): what a query
      // never seen before costs.
      fed.setStatsCaching(false);
      fed.setRouting(false);
      double[] twoPhaseMs = new double[queries.size()];
      for (int i = 0; i < queries.size(); i++) {
        long t0 = System.nanoTime();
        fed.search(query(queries.get(i), o));
        twoPhaseMs[i] = (System.nanoTime() - t0) / 1e6;
      }
      fed.setStatsCaching(true);
      fed.setRouting(true);
      for (String q : queries) {
        fed.search(query(q, o)); // refill the statistics cache before the throughput passes
      }

      ObjectNode out = JSON.createObjectNode();
      out.put("nodes", o.nodes());
      out.put("entries", all.size());
      out.put("queries", queries.size());
      out.put("split", o.split().name().toLowerCase(Locale.ROOT));
      out.put("limit", o.limit());
      out.put("vocabularies", o.vocabularies());
      out.put("warm_up_rounds", warm.rounds());
      out.put("warm_up_queries", warm.queries());
      out.put("warm_up_s", round(warm.seconds()));
      out.put("warm_up_settled", warm.settled());
      // The compiler's time while the latency passes ran: its threads share the two cores with the queries, so a
      // tail read while it still works measures the warm-up, not fedsearch.
      out.put("rewarm_queries", rewarm.queries());
      out.put("rewarm_settled", rewarm.settled());
      out.put("jit_ms_in_latency_passes", jitLatency);
      out.put("jit_ms_in_cpu_passes", jitCpu);
      out.put("latency_passes_s", round(latencySeconds));
      double p50 = LatencyPasses.median(fedMs, 0.50);
      double p99 = LatencyPasses.median(fedMs, 0.99);
      double sp50 = LatencyPasses.median(singleMs, 0.50);
      double sp99 = LatencyPasses.median(singleMs, 0.99);
      out.put("latency_passes", passes);
      var p99s = out.putArray("p99_ms_passes");
      var sp99s = out.putArray("single_p99_ms_passes");
      for (int pass = 0; pass < passes; pass++) {
        p99s.add(round(percentile(fedMs[pass], 0.99)));
        sp99s.add(round(percentile(singleMs[pass], 0.99)));
      }
      out.put("p50_ms", round(p50));
      out.put("p99_ms", round(p99));
      out.put("single_p50_ms", round(sp50));
      out.put("single_p99_ms", round(sp99));
      out.put("p99_ratio", round(p99 / sp99));
      out.put("p50_ratio", round(p50 / sp50));
      double fp99 = LatencyPasses.median(floorMs, 0.99);
      out.put("floor_p50_ms", round(LatencyPasses.median(floorMs, 0.50)));
      out.put("floor_p99_ms", round(fp99));
      out.put("floor_p99_ratio", round(fp99 / sp99));
      out.put("ideal_floor_p99_ms", round(LatencyPasses.median(idealMs, 0.99)));
      out.put("ideal_floor_p99_ratio", round(LatencyPasses.median(idealMs, 0.99) / sp99));
      out.put("cpu_ms_per_query", round(fedCost.cpuMs()));
      out.put("single_cpu_ms_per_query", round(singleCost.cpuMs()));
      out.put("cpu_ratio", round(fedCost.cpuMs() / singleCost.cpuMs()));
      out.put("floor_cpu_ms_per_query", round(floorCost.cpuMs()));
      out.put("floor_cpu_ratio", round(floorCost.cpuMs() / singleCost.cpuMs()));
      out.put("protocol_cpu_ratio", round(fedCost.cpuMs() / floorCost.cpuMs()));
      out.put("mean_remote_peers_asked", round(remoteAsked));
      out.put("raw_round_trip_cpu_ms", round(rawRoundTripMs));
      out.put("round_trip_floor_cpu_ratio", round(roundTripFloorMs / singleCost.cpuMs()));
      out.put("cpu_over_round_trip_floor", round(fedCost.cpuMs() / roundTripFloorMs));
      out.put("alloc_kb_per_query", round(fedCost.allocatedKb()));
      out.put("single_alloc_kb_per_query", round(singleCost.allocatedKb()));
      out.put("two_phase_p50_ms", round(percentile(twoPhaseMs, 0.50)));
      out.put("two_phase_p99_ms", round(percentile(twoPhaseMs, 0.99)));
      out.put("two_phase_p99_ratio", round(percentile(twoPhaseMs, 0.99) / sp99));
      // A wide-area link (emulated): the goal is one round trip, exact — p99 within 2d + the single index's p99 +
      // 5 ms — against what statistics in a separate round trip first (dfs_query_then_fetch) cost.
      double d = o.link().delay().toNanos() / 1e6;
      out.put("link_delay_ms", round(d));
      out.put("link_jitter_ms", round(o.link().jitter().toNanos() / 1e6));
      out.put("two_round_trip_p99_ms", round(percentile(twoPhaseMs, 0.99)));
      out.put("one_round_trip_goal_p99_ms", round(2 * d + sp99 + 5));
      out.put("p99_over_goal", round(p99 / (2 * d + sp99 + 5)));
      out.put("two_round_trip_p99_over_goal", round(percentile(twoPhaseMs, 0.99) / (2 * d + sp99 + 5)));
      if (!novel.isEmpty()) {
        out.put("novel_queries", novel.size());
        out.put("novel_p50_ms", round(percentile(novelMs, 0.50)));
        out.put("novel_p99_ms", round(percentile(novelMs, 0.99)));
        out.put("novel_single_p50_ms", round(percentile(novelSingleMs, 0.50)));
        out.put("novel_single_p99_ms", round(percentile(novelSingleMs, 0.99)));
        out.put("novel_p99_ratio", round(percentile(novelMs, 0.99) / percentile(novelSingleMs, 0.99)));
        out.put("novel_statistics_requests_per_query", round((double) novelStats / novel.size()));
        out.put("novel_mean_nodes_asked", round((double) novelAsked / novel.size()));
        // Queries that needed a statistics phase took two sequential round trips to their peers instead of one.
        out.put("novel_two_round_trip_share", round((double) twoRoundTrips / novel.size()));
      }
      ObjectNode qps = out.putObject("qps");
      for (int c : o.concurrency()) {
        qps.put(Integer.toString(c), round(throughput(fed, queries, o, c)));
      }
      if (o.churn() > 0) {
        ChurnPass.run(fed, cluster, heldOut, queries, o, out);
      }
      out.put("top10_agreement", round((double) agree / queries.size()));
      AnswerShape.report(out, queries, answers, fedMs, singleMs);
      out.put("incomplete_answers", incomplete);
      out.set("first_disagreements", JSON.valueToTree(disagreements));
      return out;
    }
  }

  static FederatedSearch.Query query(String text, Options o) {
    return new FederatedSearch.Query(SearchRequest.of(text, o.limit()), FederatedSearch.Merge.EXACT, o.deadline(),
        false);
  }

  /** The single index under the same operator rule as federated search: ALL, then ANY when nothing matches. */
  private static List<SearchHit> single(EntryIndex index, String q, int limit) {
    var r = index.search(SearchRequest.of(q, limit));
    if (r.totalHits() == 0 && !q.isBlank()) {
      r = index.search(SearchRequest.of(q, limit).withOperator(SearchRequest.Operator.ANY));
    }
    return r.hits();
  }

  /** Same CIDs in the same order, text scores within 1e-4 relative. */
  static boolean sameTop(List<SearchHit> expected, FederatedResult r) {
    if (expected.size() != r.works().size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      FederatedResult.Work w = r.works().get(i);
      SearchHit h = expected.get(i);
      if (!w.listings().getFirst().entry().cid().equals(h.entry().cid())
          || Math.abs(w.textScore() - h.score()) > 1e-4 * Math.abs(h.score())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Queries per second with {@code concurrency} users, cycling through the queries for at least
   * {@link #MIN_QPS_NANOS} and at least one pass. First the paths that many users take are warmed up at that
   * concurrency ({@link WarmUp}): C2 compiles them apart from the sequential ones, and one pass over 300 queries (~75
   * ms at eight users) read a machine still compiling.
   */
  private static double throughput(FederatedSearch fed, List<String> queries, Options o, int concurrency)
      throws Exception {
    WarmUp.run(o.warmup(), WarmUp.users(concurrency, o.link()), queries, q -> fed.search(query(q, o)));
    AtomicLong next = new AtomicLong();
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, Thread.ofPlatform().daemon().factory());
    try {
      List<Future<?>> users = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int u = 0; u < concurrency; u++) {
        users.add(pool.submit(() -> {
          for (long i = next.getAndIncrement(); i < queries.size() || System.nanoTime() - t0 < MIN_QPS_NANOS;
              i = next.getAndIncrement()) {
            fed.search(query(queries.get((int) (i % queries.size())), o));
            done.incrementAndGet();
          }
        }));
      }
      for (Future<?> f : users) {
        f.get();
      }
      return done.get() / ((System.nanoTime() - t0) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }


  static double percentile(double[] xs, double p) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int i = (int) Math.ceil(p * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, i))];
  }

  static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
