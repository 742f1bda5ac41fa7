package io.fedsearch.web.cli.wallet;

import io.fedsearch.federation.payments.userwallet.UserWallet;
import io.fedsearch.federation.payments.userwallet.WalletExport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wallet export --out FILE}: the documented export file (see {@code WalletExport}), mode 600. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write the wallet (key encrypted under a passphrase, channel state, receipts) to one JSON file.")
final class ExportCommand implements Callable<Integer> {
  @Mixin WalletOptions options;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write.")
  Path out;

  @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Read the passphrase from this file.")
  Path passphraseFile;

  @Override
  public Integer call() throws Exception {
    char[] pass = Passphrase.read(passphraseFile);
    try (UserWallet w = options.open()) {
      WalletExport.export(w, out, pass);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", out.toString());
      m.put("address", w.key().address().value());
      m.put("channel", w.state().channel == null ? null : w.state().channel.id);
      m.put("signed_max", w.state().signedMax);
      m.put("receipts", w.state().receipts.size());
      options.print(m);
    } finally {
      Arrays.fill(pass, '\0');
    }
    return 0;
  }
}
