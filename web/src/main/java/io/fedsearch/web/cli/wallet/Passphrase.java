package io.fedsearch.web.cli.wallet;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The export passphrase: from a file, else FEDSEARCH_WALLET_PASSPHRASE, else asked on the terminal (not echoed). */
final class Passphrase {
  private Passphrase() {}

  static char[] read(Path file) throws IOException {
    if (file != null) {
      return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
    }
    String env = System.getenv("FEDSEARCH_WALLET_PASSPHRASE");
    if (env != null) {
      return env.toCharArray();
    }
    Console c = System.console();
    if (c == null) {
      throw new IllegalArgumentException("no passphrase: give --passphrase-file or FEDSEARCH_WALLET_PASSPHRASE");
    }
    return c.readPassword("wallet export passphrase: ");
  }
}
