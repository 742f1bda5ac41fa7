/**
 * fedsearch's libp2p stack: the pieces of libp2p the federation needs, to the public specs, interoperating with
 * js-libp2p (see {@code federation/README.md}, section "p2p").
 *
 * <p>A {@link io.fedsearch.federation.p2p.Host} owns the node's identity ({@code NodeKey}, the same Ed25519 key
 * that signs entries), listens on TCP and upgrades every connection the same way:
 *
 * <ol>
 *   <li>multistream-select 1.0 picks {@code /noise} ({@link io.fedsearch.federation.p2p.mss});
 *   <li>the Noise XX handshake proves both identities: each side signs its static X25519 key with its Ed25519
 *       identity key ({@link io.fedsearch.federation.p2p.crypto}). The verified key is
 *       {@link io.fedsearch.federation.p2p.Connection#remotePublicKey()}, which federation code uses to check
 *       entry signatures;
 *   <li>yamux is agreed inside the handshake when both sides list it (the early-muxer extension) or by
 *       multistream-select over the encrypted channel, then multiplexes streams
 *       ({@link io.fedsearch.federation.p2p.mux});
 *   <li>each stream negotiates its protocol with multistream-select and is served by the handler registered with
 *       {@link io.fedsearch.federation.p2p.Host#addProtocolHandler}.
 * </ol>
 *
 * <p>On every new connection each side asks the other for identify; the answers fill the
 * {@link io.fedsearch.federation.p2p.PeerStore} and, when the peer serves our Kademlia protocol, the DHT routing
 * table ({@link io.fedsearch.federation.p2p.kad}). When a host later starts or stops serving a protocol it pushes
 * its identify to its connected peers (identify/push), so no peer waits for a new connection to learn it. The dialer is always the Noise initiator and the yamux client
 * (odd stream ids).
 *
 * <p>Threads: blocking I/O. A connection has one reader, a platform thread (an arriving frame wakes it directly),
 * that decrypts Noise frames and dispatches yamux frames; everything else runs on virtual threads; stream data waits in per-stream buffers bounded by the receive window the reader
 * granted. Writers encrypt on their own thread under the connection's write lock, one Noise message per yamux
 * frame of up to 64 KiB.
 *
 * <p>Robustness: every read is bounded (see {@link io.fedsearch.federation.p2p.Limits} and the parsers' limits).
 * A remote's protocol violation ends only its stream (RST) or connection (GoAway 1) and is logged.
 */
package io.fedsearch.federation.p2p;
