package io.fedsearch.federation.payments;

import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.InProcessPayoutTransport;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * Nodes with payments whose payout messages go in process through a transport the test can disturb: per message
 * (its type and addressee) a rule may lose the request, lose the response, or rewrite the request on its way.
 * Debts are written to each node's own fee book, as sales accrue them.
 */
final class CycleNet implements AutoCloseable {
  /** What happens to one request. */
  enum Fate { DELIVER, LOSE_REQUEST, LOSE_RESPONSE, THROW }

  final SimClock clock = new SimClock(java.time.Instant.parse("2026-03-01T00:00:00Z"));
  final InProcessPayoutTransport transport = new InProcessPayoutTransport();
  final List<NodeKey> keys = new ArrayList<>();
  final List<Payments> nodes = new ArrayList<>();
  /** (message type, addressee index) → fate; consulted for every request. */
  volatile BiFunction<String, Integer, Fate> rule = (type, to) -> Fate.DELIVER;
  /** Rewrites requests on their way (a dishonest or broken sender); identity by default. */
  volatile BiFunction<String, byte[], byte[]> rewrite = (type, request) -> request;
  /** Replaces responses on their way back (a lying peer), given the request's type and addressee. */
  volatile java.util.function.BiFunction<String, Integer, byte[]> forgeAnswer = (type, to) -> null;
  /** Every request type sent, in order, as {@code type>index}. */
  final List<String> sent = new CopyOnWriteArrayList<>();

  CycleNet(Path dir, int n) {
    PayoutTransport disturbed = (peer, request) -> {
      int to = indexOf(peer);
      String type = typeOf(request);
      sent.add(type + ">" + to);
      switch (rule.apply(type, to)) {
        case LOSE_REQUEST -> throw new IOException("request lost on the way");
        case THROW -> throw new IllegalStateException("the coordinator stops here");
        case LOSE_RESPONSE -> {
          transport.exchange(peer, rewrite.apply(type, request));
          throw new IOException("response lost on the way back");
        }
        default -> {
          byte[] answer = transport.exchange(peer, rewrite.apply(type, request));
          byte[] forged = forgeAnswer.apply(type, to);
          return forged != null ? forged : answer;
        }
      }
    };
    this.dir = dir;
    this.disturbed = disturbed;
    for (int i = 0; i < n; i++) {
      NodeKey key = NodeKey.generate();
      Payments p = Payments.open(dir.resolve("node" + i), key, CONFIG, disturbed, clock);
      transport.register(key.publicKey(), p.receiver());
      keys.add(key);
      nodes.add(p);
    }
  }

  private static final PaymentsConfig CONFIG = PaymentsConfig.defaults()
      .withPayoutBatching(1_000_000_000, Duration.ofDays(30));
  private final Path dir;
  private final PayoutTransport disturbed;

  /** Node {@code i} stops and starts again from its directory (everything in memory is lost). */
  void restart(int i) {
    nodes.get(i).close();
    Payments p = Payments.open(dir.resolve("node" + i), keys.get(i), CONFIG, disturbed, clock);
    transport.register(keys.get(i).publicKey(), p.receiver());
    nodes.set(i, p);
  }

  static String typeOf(byte[] request) {
    return DagCbor.decode(request) instanceof Map<?, ?> m && m.get("m") instanceof Map<?, ?> body
        ? String.valueOf(body.get("type")) : "?";
  }

  int indexOf(NodePublicKey key) {
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).publicKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** Node {@code debtor} owes node {@code creditor} {@code amount} more (as a sale's discovery fee accrues it). */
  void owe(int debtor, int creditor, long amount) {
    nodes.get(debtor).db().write(FeeBook.accrue(NodePublicKey.fromHex(key(creditor)), amount, clock.instant()));
  }

  /** Node {@code i}'s key hex; {@code -1} is a node outside this network, which no message reaches. */
  String key(int i) {
    return i < 0 ? OUTSIDER.publicKey().hex() : keys.get(i).publicKey().hex();
  }

  static final NodeKey OUTSIDER = NodeKey.generate();

  /** What node {@code debtor} still owes node {@code creditor} by its own book. */
  long due(int debtor, int creditor) {
    return nodes.get(debtor).fees().of(NodePublicKey.fromHex(key(creditor))).map(FeeBook.Owed::due).orElse(0L);
  }

  /** The state of the one cycle row node {@code i} holds (or "none"). */
  String state(int i) {
    var rows = nodes.get(i).cycles().history();
    return rows.isEmpty() ? "none" : rows.get(rows.size() - 1).state();
  }

  @Override
  public void close() {
    nodes.forEach(Payments::close);
  }
}
