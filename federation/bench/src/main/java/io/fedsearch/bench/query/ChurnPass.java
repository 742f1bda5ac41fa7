package io.fedsearch.bench.query;

import static io.fedsearch.bench.query.FederationBench.percentile;
import static io.fedsearch.bench.query.FederationBench.round;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.query.FederatedSearch;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.SignedEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The benchmark's last pass ({@code --churn}): queries while entries keep arriving at the nodes. */
final class ChurnPass {
  private static final Duration BATCH = Duration.ofMillis(100);
  private static final Duration DURATION = Duration.ofSeconds(15);

  private ChurnPass() {}

  /**
   * The query set once more while other platforms keep writing: {@code o.churn()} held-out entries per second, in
   * batches every {@link #BATCH}, each batch to one random node (visible to searches at once, as a platform's
   * uploads are). Measures what staying exact costs then: the share of queries that needed statistics read again
   * (a second round trip), latency, and the vocabulary traffic that kept the others on one round trip.
   */
  static void run(FederatedSearch fed, LocalCluster cluster, List<Entry> heldOut, List<String> queries,
      FederationBench.Options o, ObjectNode out) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger written = new AtomicInteger();
    int perBatch = Math.max(1, (int) Math.round(o.churn() * BATCH.toMillis() / 1000.0));
    Thread writer = Thread.ofPlatform().daemon().name("bench-churn").start(() -> {
      Random r = new Random(o.seed() + 2);
      int next = 0;
      while (!stop.get() && next < heldOut.size()) {
        LocalCluster.Node n = cluster.node(r.nextInt(cluster.nodes().size()));
        for (int i = 0; i < perBatch && next < heldOut.size(); i++, next++) {
          n.index().upsert(SignedEntry.sign(heldOut.get(next), n.key()));
          written.incrementAndGet();
        }
        try {
          Thread.sleep(BATCH.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    long fetchesBefore = fed.vocabularyFetches();
    long segmentsBefore = fed.vocabularySegmentsFetched();
    long termsBefore = fed.vocabularyTermsFetched();
    List<Double> ms = new ArrayList<>();
    int twoRoundTrips = 0;
    long t0 = System.nanoTime();
    try {
      // At least the query set once, and for DURATION: the writes must outlast a few vocabulary intervals.
      for (int i = 0; i < queries.size() || System.nanoTime() - t0 < DURATION.toNanos(); i++) {
        long asked = fed.statisticsRequests();
        long q0 = System.nanoTime();
        fed.search(FederationBench.query(queries.get(i % queries.size()), o));
        ms.add((System.nanoTime() - q0) / 1e6);
        twoRoundTrips += fed.statisticsRequests() > asked ? 1 : 0;
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    out.put("churn_writes_per_s", round(written.get() / seconds));
    double[] lat = ms.stream().mapToDouble(Double::doubleValue).toArray();
    out.put("churn_queries", lat.length);
    out.put("churn_p50_ms", round(percentile(lat, 0.50)));
    out.put("churn_p99_ms", round(percentile(lat, 0.99)));
    out.put("churn_two_round_trip_share", round((double) twoRoundTrips / lat.length));
    out.put("churn_vocabulary_fetches", fed.vocabularyFetches() - fetchesBefore);
    out.put("churn_vocabulary_segments_read", fed.vocabularySegmentsFetched() - segmentsBefore);
    out.put("churn_vocabulary_terms_read", fed.vocabularyTermsFetched() - termsBefore);
  }
}
