package io.fedsearch.bench.query;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.wire.LengthPrefixed;
import io.fedsearch.federation.query.FederationNode;
import io.fedsearch.federation.query.PlatformRecord;
import io.fedsearch.federation.query.QueryServer;
import io.fedsearch.federation.query.QueryWire;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.search.QueryStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An index node that joins the federation and answers queries from a real index, but reports statistics no index
 * could have (document frequencies near 2^63) — to overflow the global sums and steer other platforms' ranking.
 * Leaving stops its host, so the honest nodes see it fail from then on.
 */
final class InflatedStatsPeer implements AutoCloseable {
  private final Host host;
  private final EntryIndex index;

  private InflatedStatsPeer(Host host, EntryIndex index) {
    this.host = host;
    this.index = index;
  }

  static InflatedStatsPeer join(Path dir, List<FederationNode> honest) throws IOException {
    NodeKey key = NodeKey.generate();
    EntryIndex index = EntryIndex.open(dir, key);
    EntryParser parser = new EntryParser(null);
    for (int e = 0; e < 20; e++) {
      index.upsert(SignedEntry.sign(parser.parse("{\"platform\":\"evil\",\"id\":\"x" + e
          + "\",\"title\":\"otter heron lynx badger " + e + "\",\"description\":\"parser stream buffer\"}"), key));
    }
    index.commit();
    QueryServer server = new QueryServer(index, List.of(PlatformRecord.selfSigned(key, "evil", null)));
    Host host = Host.builder(key).listen("/ip4/127.0.0.1/tcp/0").dht(false).build();
    host.addProtocolHandler(QueryWire.PROTOCOL, s -> {
      QueryWire.Request request = QueryWire.decodeRequest(LengthPrefixed.read(s.in(), QueryWire.MAX_REQUEST_BYTES));
      LengthPrefixed.write(s.out(), QueryWire.encode(inflate(server.answer(request))));
      s.closeWrite();
    });
    host.start();
    for (FederationNode n : honest) {
      n.host().peerStore().addAddresses(host.peerId(), host.listenAddresses());
      n.peers().add(host.peerId());
    }
    return new InflatedStatsPeer(host, index);
  }

  private static QueryWire.Response inflate(QueryWire.Response r) {
    if (r.stats() == null) {
      return r;
    }
    long huge = Long.MAX_VALUE - 7;
    Map<QueryStats.TermKey, QueryStats.TermStats> terms = new TreeMap<>();
    r.stats().terms().forEach((k, v) -> terms.put(k, new QueryStats.TermStats(huge, huge)));
    return new QueryWire.Response(r.platform(), r.replicaSet(), r.totalHits(), r.tookMicros(), r.hits(),
        new QueryStats(r.stats().maxDoc(), r.stats().fields(), terms), r.indexVersion());
  }

  @Override
  public void close() throws IOException {
    host.stop();
    index.close();
  }
}
