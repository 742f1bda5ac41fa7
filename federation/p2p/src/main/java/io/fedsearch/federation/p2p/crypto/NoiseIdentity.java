package io.fedsearch.federation.p2p.crypto;

import com.google.crypto.tink.subtle.X25519;
import io.fedsearch.federation.p2p.wire.WireException;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A host's Noise identity: its Ed25519 {@link NodeKey} and one X25519 static key per host instance (as js-libp2p
 * does), with the signed handshake payloads precomputed, and a few ephemeral key pairs generated ahead of time (an
 * X25519 public-key computation is the costliest step of connection setup). X25519 private keys exist as bytes only
 * here and inside a running handshake.
 */
public final class NoiseIdentity {
  public static final String YAMUX = "/yamux/1.0.0";
  static final byte[] SIG_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

  private static final int POOL = 4;
  private final ConcurrentLinkedQueue<byte[][]> pool = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean refilling = new AtomicBoolean();
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

  /** An ephemeral X25519 pair {private, public}; taken from a small pool refilled off the handshake's path. */
  byte[][] ephemeral() {
    byte[][] pair = pool.poll();
    if (pool.size() < POOL && refilling.compareAndSet(false, true)) {
      Thread.ofVirtual().name("noise-keygen").start(() -> {
        try {
          while (pool.size() < POOL) {
            pool.add(newPair());
          }
        } finally {
          refilling.set(false);
        }
      });
    }
    return pair != null ? pair : newPair();
  }

  private static byte[][] newPair() {
    byte[] priv = X25519.generatePrivateKey();
    try {
      return new byte[][] {priv, X25519.publicFromPrivate(priv)};
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
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
