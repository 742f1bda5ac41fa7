package io.fedsearch.reputation.attest;

import io.fedsearch.privacy.signing.RecordVerifier;

/** Checks an attestation anyone hands over: parse strictly, rebuild the canonical bytes, verify the signature. */
public final class AttestationVerifier {
  private AttestationVerifier() {}

  /** Result of a verification: whether it holds, why not, and the parsed attestation when it parsed at all. */
  public record Result(boolean valid, String reason, Attestation attestation) {}

  public static boolean verifies(Attestation a) {
    return RecordVerifier.verifies(a.issuer().bytes(), a.canonicalBytes(), a.signature());
  }

  /** Verifies the JSON wire form; never throws for bad input, the reason says what is wrong. */
  public static Result verify(String json) {
    Attestation a;
    try {
      a = Attestation.parse(json);
    } catch (IllegalArgumentException e) {
      return new Result(false, e.getMessage(), null);
    }
    if (!verifies(a)) {
      return new Result(false, "signature does not verify with issuer key " + a.issuer().hex(), a);
    }
    return new Result(true, "signature valid", a);
  }
}
