package io.fedsearch.federation.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.bench.query.LocalCluster;
import io.fedsearch.bench.indexer.KnownItemQueries;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.search.SearchHit;
import io.fedsearch.indexer.search.SearchRequest;
import io.fedsearch.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The federated top-10 equals the top-10 of one Lucene index over the union — same CIDs, same order, scores within
 * 1e-4 relative — for at least 99% of the shared known-item queries, with the real catalogs split across 5 nodes
 * that talk over libp2p on loopback: once by platform, once at random.
 */
class FederatedExactnessTest {
  @TempDir static Path dir;
  private static List<Entry> all;
  private static EntryIndex single;
  private static List<KnownItemQueries.Query> queries;

  @BeforeAll
  static void union() throws Exception {
    EntryParser parser = new EntryParser(null);
    all = new ArrayList<>();
    for (String f : List.of("npm.jsonl", "debian.jsonl")) {
      for (String line : Files.readAllLines(SharedData.file(f))) {
        all.add(parser.parse(line));
      }
    }
    queries = new ArrayList<>(KnownItemQueries.read(SharedData.file("queries-npm.jsonl")).queries());
    queries.addAll(KnownItemQueries.read(SharedData.file("queries-debian.jsonl")).queries());
    NodeKey key = NodeKey.generate();
    single = EntryIndex.open(dir.resolve("single"), key);
    all.parallelStream().map(e -> io.fedsearch.indexer.entry.SignedEntry.sign(e, key)).toList().forEach(single::upsert);
    single.commit();
  }

  @AfterAll
  static void close() throws Exception {
    if (single != null) {
      single.close();
    }
  }

  @Test
  void splitByPlatform() throws Exception {
    // npm over nodes 0-1, Debian over nodes 2-4.
    int[] counter = new int[2];
    assertAgreement("by-platform", e -> e.platform().equals("npm") ? counter[0]++ % 2 : 2 + counter[1]++ % 3);
  }

  @Test
  void splitAtRandom() throws Exception {
    Random rnd = new Random(20261121);
    assertAgreement("random", e -> rnd.nextInt(5));
  }

  private void assertAgreement(String name, ToIntFunction<Entry> shardOf) throws Exception {
    List<List<Entry>> shards = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      shards.add(new ArrayList<>());
    }
    for (Entry e : all) {
      shards.get(shardOf.applyAsInt(e)).add(e);
    }
    try (LocalCluster cluster = LocalCluster.start(dir.resolve(name), shards)) {
      FederatedSearch search = cluster.node(0).federation().search();
      int agree = 0;
      List<String> disagreements = new ArrayList<>();
      for (KnownItemQueries.Query q : queries) {
        FederatedResult r = search.search(new FederatedSearch.Query(SearchRequest.of(q.text(), 10),
            FederatedSearch.Merge.EXACT, Duration.ofSeconds(20), false));
        assertThat(r.nodes()).as("every node answered " + q.text()).allMatch(FederatedResult.NodeStatus::complete);
        List<SearchHit> expected = single.search(SearchRequest.of(q.text(), 10)).hits();
        if (expected.isEmpty()) {
          expected = single.search(SearchRequest.of(q.text(), 10).withOperator(SearchRequest.Operator.ANY)).hits();
        }
        if (same(expected, r)) {
          agree++;
        } else if (disagreements.size() < 5) {
          disagreements.add(q.text() + ": expected " + expected.stream().map(h -> h.entry().cid() + "@" + h.score()).toList()
              + " got " + r.works().stream().map(w -> w.listings().getFirst().entry().cid() + "@" + w.textScore()).toList());
        }
      }
      double agreement = (double) agree / queries.size();
      System.out.printf("%s: top-10 agreement %d/%d = %.4f%n", name, agree, queries.size(), agreement);
      assertThat(agreement).as(name + " agreement; first disagreements: " + disagreements).isGreaterThanOrEqualTo(0.99);
    }
  }

  private static boolean same(List<SearchHit> expected, FederatedResult r) {
    if (expected.size() != r.works().size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      FederatedResult.Work w = r.works().get(i);
      SearchHit h = expected.get(i);
      if (!w.listings().getFirst().entry().cid().equals(h.entry().cid())) {
        return false;
      }
      if (Math.abs(w.textScore() - h.score()) > 1e-4 * Math.abs(h.score())) {
        return false;
      }
    }
    return true;
  }
}
