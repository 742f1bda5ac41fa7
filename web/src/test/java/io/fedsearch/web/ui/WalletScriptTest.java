package io.fedsearch.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The browser wallet's logic ({@code ui/wallet-core.js} over the committed {@code ui/xrpl-bundle.js}) under Node's
 * test runner ({@code src/test/js/wallet/}), with code generation from strings refused as the pages' CSP refuses
 * it: keys and addresses, the signed create and claims checked by xrpl.js, the claim rules, the export file.
 */
class WalletScriptTest {
  private static final Path WEB = Path.of(System.getProperty("basedir", "."));

  @Test
  void walletCoreTestsPassUnderNode() throws Exception {
    assertThat(WEB.resolve("../federation/payments/src/test/js/xrpl/node_modules/xrpl"))
        .as("xrpl.js installed: run .ci/npm-deps").isDirectory();
    Path log = Files.createTempFile("wallet-core", ".tap");
    Process p = new ProcessBuilder("node", "--test", "--disallow-code-generation-from-strings",
        "src/test/js/wallet/").directory(WEB.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("node --test finished").isTrue();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("# fail 0").doesNotContain("# pass 0");
  }
}
