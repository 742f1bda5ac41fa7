package io.fedsearch.federation.payments.payout;

import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers payout messages between nodes in one process (tests, benchmark, demo). Enforces the same size limit as
 * the network transport and counts messages and bytes.
 */
public final class InProcessPayoutTransport implements PayoutTransport {
  private final ConcurrentHashMap<NodePublicKey, PayoutReceiver> nodes = new ConcurrentHashMap<>();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  public void register(NodePublicKey node, PayoutReceiver receiver) {
    nodes.put(node, receiver);
  }

  @Override
  public byte[] exchange(NodePublicKey peer, byte[] request) throws IOException {
    if (request.length > PayoutWire.MAX_MESSAGE_BYTES) {
      throw new IOException("payout request of " + request.length + " bytes exceeds " + PayoutWire.MAX_MESSAGE_BYTES);
    }
    PayoutReceiver r = nodes.get(peer);
    if (r == null) {
      throw new IOException("no route to node " + peer.hex());
    }
    byte[] response = r.handle(request);
    messages.incrementAndGet();
    bytes.addAndGet(request.length + response.length);
    return response;
  }

  public long messages() {
    return messages.get();
  }

  public long bytes() {
    return bytes.get();
  }
}
