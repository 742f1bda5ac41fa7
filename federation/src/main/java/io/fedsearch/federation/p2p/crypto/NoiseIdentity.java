package io.fedsearch.federation.p2p.crypto;

import com.google.crypto.tink.subtle.X25519;
import io.fedsearch.federation.p2p.wire.WireException;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.indexer.identity.NodePublicKey;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.List;

/**
 * A host's Noise identity: its Ed25519 {@link NodeKey} and one X25519 static key per host instance (as js-libp2p
 * does), with the signed handshake payloads precomputed. The only place X25519 private keys exist as bytes.
 */
public final class NoiseIdentity {
  public static final String YAMUX = "/yamux/1.0.0";
  static final byte[] SIG_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

  private final NodePublicKey identity;
  private final byte[] staticPrivate;
  private final byte[] staticPublic;
  private final byte[] payloadPlain;
  private final byte[] payloadEarlyMuxer;

  public NoiseIdentity(NodeKey key) {
    this.identity = key.publicKey();
    this.staticPrivate = X25519.generatePrivateKey();
    try {
      this.staticPublic = X25519.publicFromPrivate(staticPrivate);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
    byte[] toSign = new byte[SIG_PREFIX.length + 32];
    System.arraycopy(SIG_PREFIX, 0, toSign, 0, SIG_PREFIX.length);
    System.arraycopy(staticPublic, 0, toSign, SIG_PREFIX.length, 32);
    byte[] sig = key.sign(toSign);
    byte[] pk = PublicKeyProto.encode(identity);
    this.payloadPlain = new NoisePayload(pk, sig, List.of()).encode();
    this.payloadEarlyMuxer = new NoisePayload(pk, sig, List.of(YAMUX)).encode();
  }

  public NodePublicKey publicKey() {
    return identity;
  }

  byte[] staticPublic() {
    return staticPublic;
  }

  byte[] payload(boolean earlyMuxer) {
    return earlyMuxer ? payloadEarlyMuxer : payloadPlain;
  }

  byte[] dhStatic(byte[] remotePublic) throws WireException {
    return dh(staticPrivate, remotePublic);
  }

  static byte[] dh(byte[] privateKey, byte[] remotePublic) throws WireException {
    try {
      return X25519.computeSharedSecret(privateKey, remotePublic);
    } catch (InvalidKeyException | IllegalArgumentException e) {
      throw new WireException("invalid X25519 public key from remote: " + e.getMessage(), e);
    }
  }
}
