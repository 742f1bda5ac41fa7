package io.fedsearch.federation.p2p;

import java.util.List;

/** What the peer store knows about a peer: its addresses and, once identified, its protocols and agent. */
public record PeerInfo(PeerId peerId, List<Multiaddr> addresses, List<String> protocols, String agentVersion) {
  public PeerInfo {
    addresses = List.copyOf(addresses);
    protocols = List.copyOf(protocols);
  }
}
