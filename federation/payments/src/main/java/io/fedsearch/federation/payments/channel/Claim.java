package io.fedsearch.federation.payments.channel;

import java.util.HexFormat;
import java.util.Locale;

/**
 * A signed cumulative claim: the channel's source authorises {@code drops} in total (never an increment) to be
 * paid out of {@code channel}. {@code signature} is hex (64 bytes ed25519, DER secp256k1).
 */
public record Claim(String channel, long drops, String signature) {
  /** Longest DER secp256k1 signature is 72 bytes; ed25519 is 64. */
  public static final int MAX_SIGNATURE_HEX = 144;

  public Claim {
    channel = ChannelId.parse(channel);
    if (drops <= 0) {
      throw new IllegalArgumentException("claim amount must be a positive number of drops, got " + drops);
    }
    if (signature == null || signature.isEmpty() || signature.length() > MAX_SIGNATURE_HEX
        || signature.length() % 2 != 0) {
      throw new IllegalArgumentException("claim signature must be hex of at most " + MAX_SIGNATURE_HEX + " chars");
    }
    HexFormat.of().parseHex(signature);
    signature = signature.toUpperCase(Locale.ROOT);
  }
}
