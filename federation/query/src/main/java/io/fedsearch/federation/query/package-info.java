/**
 * Federated search: a user's query answered from every reachable index node as if all their entries sat in one
 * Lucene index, with every result verified and attributed.
 *
 * <h2>Flow of one query</h2>
 * <ol>
 *   <li>{@link io.fedsearch.federation.query.FederatedSearch#search} looks in the result cache (15 s; fresh
 *       attribution tokens even for a cached answer).
 *   <li>{@link io.fedsearch.federation.query.IndexPeers#route} picks the targets: the node's own index, one target
 *       per replica set (best standing first, the other members hedge it) and every node without a replica set;
 *       backed-off peers are left out. Peers are discovered through the DHT key
 *       {@link io.fedsearch.federation.query.IndexPeers#INDEX_NODES_KEY} and identify.
 *   <li>Exact merge: {@link io.fedsearch.federation.query.StatsPhase} gets each target's statistics for the query
 *       (cached per peer, or a {@code stats} fan-out under 45% of the deadline) and sums them. Phase two sends
 *       {@code search} with the sums; every peer scores with them, so merged scores equal one index's. With
 *       cached statistics, peers also return their current ones and a stale entry triggers a re-run. RRF merge
 *       skips phase one and fuses ranks.
 *   <li>{@link io.fedsearch.federation.query.FanOut} runs each phase under the deadline: hedges a slow or failed
 *       peer with a replica, cancels (resets) every call still outstanding when an answer wins or the deadline
 *       passes, names every target that gave nothing, and updates {@link io.fedsearch.federation.query.PeerStanding}.
 *   <li>Every hit's block is decoded strictly and its CID recomputed; works are grouped by content CID; the
 *       {@link io.fedsearch.federation.query.RankingFormula} combines text score, payment signal and reputation;
 *       signatures of the listings that will be shown are verified in rank order (with a cache), forged ones
 *       dropped, counted and charged to the peer's standing.
 *   <li>Each listing gets an {@link io.fedsearch.core.token.AttributionToken} signed by this node.
 * </ol>
 *
 * <p>The wire format of {@value io.fedsearch.federation.query.QueryWire#PROTOCOL}, its limits and versioning, the
 * routing rule and how it scales are documented in {@code federation/README.md}, section "Federated query".
 */
package io.fedsearch.federation.query;
