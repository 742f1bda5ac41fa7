package io.fedsearch.federation.payments;

import io.fedsearch.federation.payments.payout.InProcessPayoutTransport;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A few nodes with payments in temp dirs, connected by the in-process payout transport. */
final class Federation implements AutoCloseable {
  final InProcessPayoutTransport transport = new InProcessPayoutTransport();
  /** Lets {@code pass} more exchanges through, then delivers the next request but loses its response (once). */
  final java.util.concurrent.atomic.AtomicInteger loseResponseAfter = new java.util.concurrent.atomic.AtomicInteger(-1);
  /** Rewrites every response on its way back (a lying peer); identity by default. */
  volatile java.util.function.UnaryOperator<byte[]> rewrite = r -> r;
  /** Every request sent, in order. */
  final List<byte[]> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final io.fedsearch.federation.payments.payout.PayoutTransport lossy = (peer, request) -> {
    requests.add(request);
    byte[] response = rewrite.apply(transport.exchange(peer, request));
    if (loseResponseAfter.getAndUpdate(n -> n < 0 ? n : n - 1) == 0) {
      throw new java.io.IOException("response lost on the way back");
    }
    return response;
  };
  final List<NodeKey> keys = new ArrayList<>();
  final List<Payments> nodes = new ArrayList<>();
  /** What each node sells (CID → price in drops); tests list what they buy. */
  final List<java.util.Map<io.fedsearch.core.cid.Cid, Long>> catalogs = new ArrayList<>();

  Federation(Path dir, int n, PaymentsConfig config, java.time.Clock clock) {
    for (int i = 0; i < n; i++) {
      NodeKey key = NodeKey.generate();
      Payments p = Payments.open(dir.resolve("node" + i), key, config, lossy, clock);
      transport.register(key.publicKey(), p.receiver());
      java.util.Map<io.fedsearch.core.cid.Cid, Long> catalog = new java.util.concurrent.ConcurrentHashMap<>();
      p.purchases().sellFrom(cid -> java.util.Optional.ofNullable(catalog.get(cid))
          .map(price -> new io.fedsearch.federation.payments.purchase.Listings.Listing(cid, price, false)));
      keys.add(key);
      nodes.add(p);
      catalogs.add(catalog);
    }
  }

  /** Node {@code i} lists {@code cid} at {@code price} drops. */
  void list(Payments node, io.fedsearch.core.cid.Cid cid, long price) {
    catalogs.get(nodes.indexOf(node)).put(cid, price);
  }

  @Override
  public void close() {
    nodes.forEach(Payments::close);
  }
}
