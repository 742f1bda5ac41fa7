package io.fedsearch.federation.p2p;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The addresses a host tells peers to dial: its configured announce addresses, then each bound listen socket — a
 * wildcard bind expanded to every IPv4 address of an interface that is up — each with {@code /p2p/<id>}.
 */
final class ListenAddresses {
  private ListenAddresses() {}

  static List<Multiaddr> of(List<Multiaddr> announce, List<ServerSocket> servers, PeerId peerId) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : announce) {
      out.add(a.withPeerId(peerId));
    }
    for (ServerSocket s : servers) {
      InetAddress bound = s.getInetAddress();
      if (bound.isAnyLocalAddress()) {
        for (InetAddress a : interfaceAddresses()) {
          out.add(Multiaddr.of(new InetSocketAddress(a, s.getLocalPort())).withPeerId(peerId));
        }
      } else {
        out.add(Multiaddr.of(new InetSocketAddress(bound, s.getLocalPort())).withPeerId(peerId));
      }
    }
    return out;
  }

  private static List<InetAddress> interfaceAddresses() {
    List<InetAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (ni.isUp()) {
          for (InetAddress a : Collections.list(ni.getInetAddresses())) {
            if (a instanceof Inet4Address) {
              out.add(a);
            }
          }
        }
      }
    } catch (SocketException e) {
      out.add(InetAddress.getLoopbackAddress());
    }
    return out;
  }
}
