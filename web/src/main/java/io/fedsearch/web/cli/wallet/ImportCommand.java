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
import picocli.CommandLine.Parameters;

/**
 * {@code wallet import FILE}: into an empty directory, or merged into the same account's wallet; money figures
 * take the higher value, and the next purchase first learns the hub's figures (a stale file cannot lower them).
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import a wallet export file.")
final class ImportCommand implements Callable<Integer> {
  @Mixin WalletOptions options;

  @Parameters(index = "0", paramLabel = "FILE", description = "The export file.")
  Path file;

  @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Read the passphrase from this file.")
  Path passphraseFile;

  @Override
  public Integer call() throws Exception {
    char[] pass = Passphrase.read(passphraseFile);
    try (UserWallet w = WalletExport.importInto(options.dir(), file, pass)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dir", w.dir().toString());
      m.put("address", w.key().address().value());
      m.put("channel", w.state().channel == null ? null : w.state().channel.id);
      m.put("signed_max", w.state().signedMax);
      m.put("receipts", w.state().receipts.size());
      m.put("credit_notes", w.state().creditNotes.size());
      options.print(m);
    } finally {
      Arrays.fill(pass, '\0');
    }
    return 0;
  }
}
