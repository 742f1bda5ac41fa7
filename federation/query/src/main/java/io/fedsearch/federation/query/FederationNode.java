package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryIndex;
import java.util.List;

/**
 * The federation side of one node, assembled: it serves its index over {@value QueryWire#PROTOCOL}, finds index
 * peers, and answers users' queries from all of them. The host must be started by the caller.
 */
public final class FederationNode implements AutoCloseable {
  private final Host host;
  private final IndexPeers peers;
  private final FederatedSearch search;
  private final EntryFetch entries;
  private final TitleSuggestions titles;

  /** A node that is its platform's only node: its record is signed by its own key. */
  public FederationNode(NodeKey key, EntryIndex index, String platform, String replicaSet, Host host,
      RankingFormula formula) {
    this(key, index, List.of(PlatformRecord.selfSigned(key, platform, replicaSet)), host, formula);
  }

  /**
   * A node whose platform records (each signed by its platform's key, naming this node; its own platform's first)
   * are {@code records}: the node of a platform with several nodes, or a node serving several platforms.
   */
  public FederationNode(NodeKey key, EntryIndex index, List<PlatformRecord.Signed> records, Host host,
      RankingFormula formula) {
    this.host = host;
    QueryServer server = new QueryServer(index, records);
    server.register(host);
    PeerStanding standing = new PeerStanding();
    this.peers = new IndexPeers(host, standing);
    RequestResponse rr = new RequestResponse(host);
    this.search = new FederatedSearch(key, host.peerId(), server, peers, rr, standing, formula);
    this.entries = new EntryFetch(rr);
    entries.serve(index);
    this.titles = new TitleSuggestions(rr, index);
    titles.serve();
  }

  /** Titles completing what a person types, from this node and its index peers. */
  public TitleSuggestions titles() {
    return titles;
  }

  /** Fetches an entry this node does not hold from the index peers that serve it, verified. */
  public EntryFetch entries() {
    return entries;
  }

  /** Starts discovery (DHT provide/lookup, identify events). */
  public FederationNode start() {
    peers.start();
    return this;
  }

  public Host host() {
    return host;
  }

  public IndexPeers peers() {
    return peers;
  }

  public FederatedSearch search() {
    return search;
  }

  @Override
  public void close() {
    peers.close();
  }
}
