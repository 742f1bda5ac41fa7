package io.fedsearch.web.cli.wallet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedsearch.federation.payments.ledger.Ledger;
import io.fedsearch.federation.payments.ledger.XrplLedger;
import io.fedsearch.federation.payments.userwallet.UserWallet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every wallet command shares: the wallet directory and {@code --json}. */
final class WalletOptions {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Wallet directory (default ~/.fedsearch/wallet).")
  Path dir;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  Path dir() {
    return dir != null ? dir : Path.of(System.getProperty("user.home"), ".fedsearch", "wallet");
  }

  UserWallet open() {
    return UserWallet.open(dir());
  }

  /** Prints {@code m} as JSON or as {@code key: value} lines. */
  void print(Map<String, ?> m) throws IOException {
    if (json) {
      System.out.println(JSON.writeValueAsString(m));
    } else {
      m.forEach((k, v) -> System.out.println(k + ": " + (v instanceof String s ? s : text(v))));
    }
  }

  private static String text(Object v) {
    try {
      return v == null ? "" : JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(v);
    } catch (IOException e) {
      return String.valueOf(v);
    }
  }

  static Optional<Ledger> ledger(String url) {
    return Optional.ofNullable(url).map(XrplLedger::new);
  }

  /** XRP as typed ("12.5") to drops, exactly; refuses more than six decimals or non-positive amounts. */
  static long drops(String xrp) {
    java.math.BigDecimal d = new java.math.BigDecimal(xrp.strip()).movePointRight(6);
    if (d.signum() <= 0 || d.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("amount must be positive XRP with at most six decimals: " + xrp);
    }
    return d.longValueExact();
  }
}
