package io.fedsearch.reputation.attest;

import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.core.keys.NodePublicKey;

/** Signs attestations with the node's identity (through {@link RecordSigner}; the key never comes here). */
public final class AttestationIssuer {
  private final RecordSigner signer;
  private final NodePublicKey issuer;

  public AttestationIssuer(RecordSigner signer) {
    this.signer = signer;
    this.issuer = NodePublicKey.of(signer.publicKey());
  }

  public NodePublicKey issuer() {
    return issuer;
  }

  /** Signs (creator, epoch, score, interval); scores are rounded to hundredths and the interval widened to hold it. */
  public Attestation issue(String creator, long epoch, double score, double low, double high) {
    int s = toCenti(score);
    int lo = Math.min(s, (int) Math.floor(clamp(low) * 100));
    int hi = Math.max(s, (int) Math.ceil(clamp(high) * 100));
    byte[] message = Attestation.canonicalBytes(creator, epoch, s, lo, hi, issuer);
    return new Attestation(creator, epoch, s, lo, hi, issuer, signer.sign(message));
  }

  private static int toCenti(double v) {
    return (int) Math.round(clamp(v) * 100);
  }

  private static double clamp(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("attestation: score must be finite, got " + v);
    }
    return Math.max(0, Math.min(100, v));
  }
}
