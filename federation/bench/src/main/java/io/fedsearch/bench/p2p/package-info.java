/**
 * {@code fedsearch bench p2p} and the js-libp2p peer driver shared with the interoperability tests. The js side is
 * {@code federation/p2p/src/test/js/libp2p/peer.mjs}, found from the repository root.
 */
package io.fedsearch.bench.p2p;
