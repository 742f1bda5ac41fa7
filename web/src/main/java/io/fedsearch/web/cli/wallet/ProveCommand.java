package io.fedsearch.web.cli.wallet;

import io.fedsearch.federation.payments.userwallet.UserWallet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wallet prove --platform PEER --challenge HEX}: signs a platform's challenge with this wallet's receipt key for
 * that platform, so the platform can check a purchase it receipted is this user's (the receipt's holder). The
 * signature covers {@code "fedsearch/receipt-proof/v1\n" ‖ challenge}: it cannot be replayed as anything else.
 */
@Command(name = "prove", mixinStandardHelpOptions = true,
    description = "Sign a platform's challenge with your receipt key for it (proves your receipts there).")
final class ProveCommand implements Callable<Integer> {
  /** Challenges are nonces; a bound keeps the signer from being fed arbitrary documents. */
  static final int MAX_CHALLENGE_BYTES = 256;

  @Mixin WalletOptions options;

  @Option(names = "--platform", required = true, paramLabel = "PEER_ID", description = "The platform's peer id.")
  String platform;

  @Option(names = "--challenge", required = true, paramLabel = "HEX", description = "The platform's challenge.")
  String challenge;

  @Override
  public Integer call() throws Exception {
    byte[] c = HexFormat.of().parseHex(challenge);
    if (c.length == 0 || c.length > MAX_CHALLENGE_BYTES) {
      throw new IllegalArgumentException("a challenge is 1.." + MAX_CHALLENGE_BYTES + " bytes of hex");
    }
    try (UserWallet w = options.open()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("platform", platform);
      m.put("receipt_key", w.receiptKeys().publicKeyHex(platform));
      m.put("challenge", HexFormat.of().formatHex(c));
      m.put("signature", HexFormat.of().formatHex(w.receiptKeys().signChallenge(platform, c)));
      options.print(m);
    }
    return 0;
  }
}
