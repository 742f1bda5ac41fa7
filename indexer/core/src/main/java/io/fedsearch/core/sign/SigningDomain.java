package io.fedsearch.core.sign;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a signature is for. Every statement a fedsearch key signs is Ed25519 over one message built one way:
 *
 * <pre>  "fedsearch/" purpose "/v" version "\n"  ‖  body</pre>
 *
 * where the body is the statement's canonical bytes (DAG-CBOR of its fields for most; a digest or a fixed layout
 * where the type says so). The tag keeps a signature on one kind of statement from ever being accepted as another —
 * a receipt can not pass as a payout, a token as a release — and the version lets a format change without any
 * old signature verifying under the new meaning. The purposes are all listed here, so two can never collide.
 *
 * <p>Entries and tombstones are the exception, by design: their signature is over the CID bytes alone (an entry's
 * CID is the hash of its canonical block, so it cannot be confused with any tagged message, which starts with
 * {@code "fedsearch/"} and is never 36 bytes long).
 */
public enum SigningDomain {
  /** A platform's receipt for a sale ({@code payments.purchase.Receipt}). */
  RECEIPT("receipt", 1),
  /** A message of the payout protocol between nodes ({@code payments.payout.PayoutWire}). */
  PAYOUT("payout", 1),
  /** One attribution token (serving node → platform). */
  ATTRIBUTION("attribution", 1),
  /** The Merkle root of a page of attribution tokens, signed once for the page. */
  ATTRIBUTION_BATCH("attribution-batch", 1),
  /** A platform's record of its name and nodes ({@code query.PlatformRecord}). */
  PLATFORM_RECORD("platform-record", 1),
  /** A node's differentially private signal release: the body is SHA-256 of its canonical JSON. */
  SIGNAL_RELEASE("signals/release", 2),
  /** A reputation attestation about a creator. */
  REPUTATION_ATTESTATION("reputation-attestation", 1),
  /** A hub's acknowledgement of a forwarded purchase. */
  HUB_ACK("hub-ack", 1),
  /** A hub's credit note: value a user authorised that no platform received. */
  CREDIT_NOTE("credit-note", 1),
  /** A statement of a netting cycle, signed by every party in it. */
  NETTING("netting", 1),
  /** A user's answer to a platform's challenge, signed with the receipt key a receipt names (proof of purchase). */
  RECEIPT_PROOF("receipt-proof", 1);

  private final byte[] tag;

  SigningDomain(String purpose, int version) {
    this.tag = ("fedsearch/" + purpose + "/v" + version + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The tag that starts every message of this domain. */
  public byte[] tag() {
    return tag.clone();
  }

  /** The tag as text, e.g. {@code "fedsearch/receipt/v1\n"}. */
  public String tagText() {
    return new String(tag, StandardCharsets.US_ASCII);
  }

  /** The message a signature of this domain covers: the tag, then {@code body}. */
  public byte[] message(byte[] body) {
    byte[] out = Arrays.copyOf(tag, tag.length + body.length);
    System.arraycopy(body, 0, out, tag.length, body.length);
    return out;
  }
}
