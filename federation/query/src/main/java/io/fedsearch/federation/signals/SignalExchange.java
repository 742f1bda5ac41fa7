package io.fedsearch.federation.signals;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.privacy.node.PrivacyService;
import io.fedsearch.privacy.release.InvalidReleaseException;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.reputation.service.ReleaseIngest;
import io.fedsearch.reputation.service.ReputationService;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@value #PROTOCOL}: nodes hand each other their signed, differentially private signal releases (format 2:
 * running totals per CID and per creator). A request is 8 bytes, the epoch wanted (big-endian; −1 for the latest);
 * the answer is the release's wire form, or empty when the node has none. Raw payment records never leave a node —
 * only releases, which anyone can verify. A release received is kept only when it is signed by the key of the peer
 * that served it (the Noise-authenticated peer id), for a closed epoch, with parameters consistent with the settings
 * it states, within the per-node quota ({@link io.fedsearch.privacy.node.SignalReleases#accept}); then it is fed to
 * reputation. Refusals are logged with their reason.
 */
public final class SignalExchange {
  private static final Logger LOG = Logger.getLogger(SignalExchange.class.getName());
  public static final String PROTOCOL = "/fedsearch/signals/2.0.0";
  public static final long LATEST = -1;

  private final PrivacyService privacy;
  private final ReputationService reputation;
  private final RequestResponse rr;

  public SignalExchange(Host host, PrivacyService privacy, ReputationService reputation) {
    this.privacy = privacy;
    this.reputation = reputation;
    this.rr = new RequestResponse(host);
    rr.handle(PROTOCOL, 8, Duration.ofSeconds(10), (from, request) -> serve(request));
  }

  private byte[] serve(byte[] request) {
    if (request.length != 8) {
      throw new IllegalArgumentException("signals request must be 8 bytes (an epoch), got " + request.length);
    }
    long epoch = ByteBuffer.wrap(request).getLong();
    Optional<SignedRelease> r = epoch == LATEST ? ownLatest() : privacy.releases().own(epoch);
    return r.map(SignedRelease::encode).orElse(new byte[0]);
  }

  private Optional<SignedRelease> ownLatest() {
    var epochs = privacy.releases().ownEpochs();
    return epochs.isEmpty() ? Optional.empty() : privacy.releases().own(epochs.getLast());
  }

  /** This node's own releases made since the last call: fed to reputation like any other. */
  public int ingestOwn(Collection<SignedRelease> released) {
    int n = 0;
    for (SignedRelease r : released) {
      try {
        n += ReleaseIngest.ingest(reputation, r);
      } catch (InvalidReleaseException e) {
        LOG.log(Level.WARNING, "own release failed verification: " + e.getMessage());
      }
    }
    return n;
  }

  /** Fetches the latest release of each peer, verifies, stores and ingests it; returns how many were new. */
  public int pull(Collection<PeerId> peers, Duration timeout) {
    var calls = peers.stream().map(p -> rr.call(p, PROTOCOL, ByteBuffer.allocate(8).putLong(LATEST).array(),
        SignedRelease.MAX_WIRE_BYTES, timeout).handle((bytes, e) -> accept(p, bytes, e))).toList();
    return calls.stream().map(CompletableFuture::join).mapToInt(Integer::intValue).sum();
  }

  private int accept(PeerId peer, byte[] bytes, Throwable error) {
    if (error != null || bytes == null || bytes.length == 0) {
      return 0;
    }
    try {
      String key = peer.publicKey().map(k -> k.hex()).orElseThrow(
          () -> new InvalidReleaseException("peer id " + peer + " does not embed an Ed25519 key"));
      SignedRelease r = privacy.releases().accept(bytes, key);
      ReleaseIngest.ingest(reputation, r);
      return 1;
    } catch (InvalidReleaseException | RuntimeException e) {
      LOG.log(Level.INFO, "release from " + peer + " refused: " + e.getMessage());
      return 0;
    }
  }
}
