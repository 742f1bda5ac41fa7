package io.fedsearch.federation.payments.payout;

import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;

/**
 * Carries one payout-protocol request to the node {@code peer} and returns its response: both are
 * {@link PayoutWire} envelopes signed by their sender, at most {@link PayoutWire#MAX_MESSAGE_BYTES} each. Over
 * libp2p this is one stream of protocol {@value PayoutWire#PROTOCOL}: the request, then the response, each
 * prefixed by its length as an unsigned varint. {@link InProcessPayoutTransport} is the in-process implementation.
 */
public interface PayoutTransport {
  byte[] exchange(NodePublicKey peer, byte[] request) throws IOException;

  /** A transport for tools that run without the network (CLI listings): every exchange fails, saying why. */
  static PayoutTransport unavailable() {
    return (peer, request) -> {
      throw new IOException("no payout transport here: payouts run inside the node, over libp2p");
    };
  }
}
