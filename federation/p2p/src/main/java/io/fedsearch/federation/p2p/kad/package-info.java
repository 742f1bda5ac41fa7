/**
 * Kademlia DHT compatible with libp2p kad-dht: the {@code Message} protobuf over length-prefixed streams, XOR
 * distance over SHA-256 of the key bytes (peer-id multihash for peers, a CID's multihash for providers), k-buckets
 * by common prefix length, iterative lookups with alpha requests in flight. Provider records expire after their TTL
 * and are republished by their owner; value records pass the configured {@link
 * io.fedsearch.federation.p2p.kad.RecordValidator} before they are stored or returned. Peers join the routing table
 * when identify shows they serve our DHT protocol and leave it when a request to them fails.
 */
package io.fedsearch.federation.p2p.kad;
