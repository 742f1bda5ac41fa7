package io.fedsearch.web.cli.wallet;

import io.fedsearch.federation.payments.userwallet.UserWallet;
import io.fedsearch.federation.payments.userwallet.WalletKey;
import io.fedsearch.federation.payments.userwallet.WalletVault;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wallet init}: a new XRPL account key (ed25519 by default), or one restored from a family seed on stdin. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create the wallet: a new XRPL account key, encrypted at rest (files mode 600).")
final class InitCommand implements Callable<Integer> {
  @Mixin WalletOptions options;

  @Option(names = "--key-type", defaultValue = "ed25519", description = "ed25519 (default) or secp256k1.")
  String keyType;

  @Option(names = "--restore", description = "Restore from an XRPL family seed (s…) read from standard input"
      + " (never from the command line, where other users' `ps` would see it).")
  boolean restore;

  @Override
  public Integer call() throws Exception {
    WalletKey key;
    if (restore) {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isBlank()) {
        throw new IllegalArgumentException("--restore reads the seed from standard input; none was given");
      }
      key = WalletKey.restore(line);
    } else {
      key = WalletKey.generate(KeyType.valueOf(keyType.toUpperCase(Locale.ROOT)));
    }
    if (WalletVault.exists(options.dir())) {
      throw new IllegalStateException("a wallet already exists in " + options.dir());
    }
    try (UserWallet w = UserWallet.create(options.dir(), key)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dir", w.dir().toString());
      m.put("address", key.address().value());
      m.put("key_type", key.keyType().name().toLowerCase(Locale.ROOT));
      m.put("public_key", key.publicKey().base16Value());
      m.put("restored", restore);
      options.print(m);
    }
    return 0;
  }
}
