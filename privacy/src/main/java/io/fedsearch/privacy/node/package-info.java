/**
 * What a node wires in: {@link io.fedsearch.privacy.node.PrivacyService} (open from the node directory with a
 * RecordSigner; record events; release epochs; ledger) and {@link io.fedsearch.privacy.node.SignalReleases} (own and
 * received releases for HTTP, p2p, ranking and reputation).
 */
package io.fedsearch.privacy.node;
