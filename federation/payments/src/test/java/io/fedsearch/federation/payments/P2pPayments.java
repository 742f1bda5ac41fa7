package io.fedsearch.federation.payments;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.net.P2pPayoutTransport;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.federation.payments.purchase.Listings;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform nodes with payments on real libp2p hosts (loopback, port 0), wired as a node wires them: the payout
 * protocol over {@link P2pPayoutTransport} and purchases over {@link PurchaseProtocol}; plus a buyer host that
 * buys over the purchase protocol. Each node sells what the test lists in its catalog.
 */
final class P2pPayments implements AutoCloseable {
  final List<Host> hosts = new ArrayList<>();
  final List<NodeKey> keys = new ArrayList<>();
  final List<Payments> nodes = new ArrayList<>();
  final List<Map<Cid, Listings.Listing>> catalogs = new ArrayList<>();
  final Host buyer;
  final PurchaseProtocol purchases;
  /** Lets this many more payout exchanges through, then loses the next response (once); -1: none lost. */
  final AtomicInteger loseResponseAfter = new AtomicInteger(-1);
  /** Lets this many more payout exchanges through, then loses the next request before it arrives (once). */
  final AtomicInteger loseRequestAfter = new AtomicInteger(-1);

  P2pPayments(Path dir, int n, PaymentsConfig config, Clock clock) throws IOException {
    for (int i = 0; i < n; i++) {
      NodeKey key = NodeKey.generate();
      Host host = Host.builder(key).listen("/ip4/127.0.0.1/tcp/0").dataDir(dir.resolve("host" + i)).build();
      host.start();
      P2pPayoutTransport transport = new P2pPayoutTransport(host);
      PayoutTransport lossy = (peer, request) -> {
        if (loseRequestAfter.getAndUpdate(k -> k < 0 ? k : k - 1) == 0) {
          throw new IOException("request lost on the way");
        }
        byte[] response = transport.exchange(peer, request);
        if (loseResponseAfter.getAndUpdate(k -> k < 0 ? k : k - 1) == 0) {
          throw new IOException("response lost on the way back");
        }
        return response;
      };
      Payments p = Payments.open(dir.resolve("node" + i), key, config, lossy, clock);
      transport.serve(p.receiver());
      Map<Cid, Listings.Listing> catalog = new ConcurrentHashMap<>();
      p.purchases().sellFrom(cid -> Optional.ofNullable(catalog.get(cid)));
      new PurchaseProtocol(host).serve(p.purchases(), p.account().address().value());
      hosts.add(host);
      keys.add(key);
      nodes.add(p);
      catalogs.add(catalog);
    }
    for (Host a : hosts) {
      for (Host b : hosts) {
        if (a != b) {
          a.dial(b.listenAddresses().get(0));
        }
      }
    }
    buyer = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dataDir(dir.resolve("buyer")).build();
    buyer.start();
    for (Host h : hosts) {
      buyer.dial(h.listenAddresses().get(0));
    }
    purchases = new PurchaseProtocol(buyer);
  }

  /** Node {@code i} lists {@code cid} for sale at {@code price} drops. */
  void list(int i, Cid cid, long price) {
    catalogs.get(i).put(cid, new Listings.Listing(cid, price, false));
  }

  /** Node {@code i} deletes its listing {@code cid} (its index keeps a tombstone). */
  void withdraw(int i, Cid cid) {
    catalogs.get(i).computeIfPresent(cid, (k, l) -> new Listings.Listing(cid, l.priceDrops(), true));
  }

  PeerId peer(int i) {
    return hosts.get(i).peerId();
  }

  /** A payout-protocol exchange from node {@code from} to node {@code to}, over libp2p. */
  byte[] exchange(int from, int to, byte[] request) throws IOException {
    return new P2pPayoutTransport(hosts.get(from)).exchange(keys.get(to).publicKey(), request);
  }

  /** The buyer buys {@code cid} on node {@code i} over the purchase protocol. */
  Receipt buy(int i, Claim claim, Cid cid, long price, String token, Optional<String> create)
      throws IOException, PurchaseProtocol.Refused {
    return purchases.buy(peer(i), claim, cid, price, token, create);
  }

  @Override
  public void close() {
    buyer.stop();
    nodes.forEach(Payments::close);
    hosts.forEach(Host::stop);
  }
}
