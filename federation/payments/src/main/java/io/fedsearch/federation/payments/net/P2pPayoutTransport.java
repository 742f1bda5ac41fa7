package io.fedsearch.federation.payments.net;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.federation.payments.payout.PayoutReceiver;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.federation.payments.payout.PayoutWire;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The payout protocol ({@value PayoutWire#PROTOCOL}) over libp2p: one length-prefixed request and response per
 * stream, to the node whose identity key is the payee's. Both messages are signed envelopes, so the transport
 * needs no trust of its own beyond Noise's authentication of the peer id.
 */
public final class P2pPayoutTransport implements PayoutTransport {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final RequestResponse rr;

  public P2pPayoutTransport(Host host) {
    this.rr = new RequestResponse(host);
  }

  /** Serves the payout protocol with {@code receiver}. */
  public void serve(PayoutReceiver receiver) {
    rr.handle(PayoutWire.PROTOCOL, PayoutWire.MAX_MESSAGE_BYTES, TIMEOUT, (from, request) -> receiver.handle(request));
  }

  @Override
  public byte[] exchange(NodePublicKey peer, byte[] request) throws IOException {
    try {
      return rr.call(PeerId.of(peer), PayoutWire.PROTOCOL, request, PayoutWire.MAX_MESSAGE_BYTES, TIMEOUT)
          .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("payout exchange with " + PeerId.of(peer) + " failed: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("payout exchange with " + PeerId.of(peer) + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
