package io.fedsearch.federation.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.SearchRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node serving {@value QueryWire#PROTOCOL} remembers requests it decoded by their bytes; over real libp2p, the
 * same request sent again is answered as the first time, a different one (other global statistics) as itself, and a
 * request it refused — malformed, or statistics no real index could have — is refused again every time it comes.
 */
@Timeout(60)
class RepeatedRequestTest {
  @TempDir Path dir;
  private QueryNodes nodes;
  private Host asker;

  @AfterEach
  void close() throws Exception {
    if (asker != null) {
      asker.close();
    }
    nodes.close();
  }

  private QueryNodes.Searcher server() throws Exception {
    nodes = new QueryNodes(dir);
    List<Entry> catalog = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      catalog.add(QueryNodes.entry("alpha", "w" + i, "otter " + (i % 2 == 0 ? "river" : "sea") + " guide " + i));
    }
    QueryNodes.Searcher s = nodes.searcher("alpha", catalog, new PeerStanding());
    asker = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build();
    asker.start();
    asker.peerStore().addAddresses(s.host().peerId(), s.host().listenAddresses());
    return s;
  }

  private byte[] ask(QueryNodes.Searcher s, byte[] request) throws Exception {
    return new RequestResponse(asker).call(s.host().peerId(), QueryWire.PROTOCOL, request,
        QueryWire.MAX_RESPONSE_BYTES, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
  }

  /** Each hit as CID bytes (hex) and score bits. */
  private static List<String> hits(byte[] answer) {
    List<String> out = new ArrayList<>();
    for (QueryWire.Hit h : QueryWire.decodeResponse(answer).hits()) {
      out.add(java.util.HexFormat.of().formatHex(h.cid()) + "@" + Float.floatToIntBits(h.score()));
    }
    return out;
  }

  @Test
  void aRepeatedRequestIsAnsweredAsTheFirstAndAnotherAsItself() throws Exception {
    QueryNodes.Searcher s = server();
    SearchRequest search = SearchRequest.of("otter guide", 10);
    QueryStats local = s.index().statistics("otter guide", SearchRequest.Operator.ALL);
    QueryStats twice = QueryStats.merge(List.of(local, local)); // a union twice this index's size
    byte[] first = QueryWire.encode(new QueryWire.Request(QueryWire.Op.SEARCH, search.withStats(false, local)));
    byte[] other = QueryWire.encode(new QueryWire.Request(QueryWire.Op.SEARCH, search.withStats(false, twice)));
    List<String> a = hits(ask(s, first));
    assertThat(a).hasSize(6);
    assertThat(hits(ask(s, first.clone()))).isEqualTo(a);
    List<String> b = hits(ask(s, other));
    assertThat(b).hasSize(6).isNotEqualTo(a); // the same hits, scored with the other statistics
    assertThat(hits(ask(s, first))).isEqualTo(a);
  }

  @Test
  void aRefusedRequestIsRefusedEveryTime() throws Exception {
    QueryNodes.Searcher s = server();
    QueryStats impossible = new QueryStats(1, Map.of(), Map.of(new QueryStats.TermKey("title", "otter"),
        new QueryStats.TermStats(5, 5))); // a term in 5 documents of an index of 1
    byte[] inflated = QueryWire.encode(new QueryWire.Request(QueryWire.Op.SEARCH,
        SearchRequest.of("otter", 10).withStats(false, impossible)));
    byte[] garbage = {(byte) 0xA1, 0x61, 0x76, 0x02}; // {v: 2}
    for (int i = 0; i < 3; i++) {
      for (byte[] bad : List.of(inflated, garbage)) {
        assertThatThrownBy(() -> ask(s, bad)).as("attempt %d", i).isInstanceOf(ExecutionException.class);
      }
    }
    assertThat(hits(ask(s, QueryWire.encode(new QueryWire.Request(QueryWire.Op.SEARCH,
        SearchRequest.of("otter", 10)))))).hasSize(6);
  }
}
