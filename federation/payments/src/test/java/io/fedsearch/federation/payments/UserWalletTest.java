package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.payments.ledger.XrplLedger;
import io.fedsearch.federation.payments.userwallet.HubTerms;
import io.fedsearch.federation.payments.userwallet.ReceiptKeyDocument;
import io.fedsearch.federation.payments.userwallet.ReceiptKeys;
import io.fedsearch.federation.payments.userwallet.UserWallet;
import io.fedsearch.federation.payments.userwallet.WalletExport;
import io.fedsearch.federation.payments.userwallet.WalletKey;
import io.fedsearch.federation.payments.userwallet.WalletState;
import io.fedsearch.federation.payments.userwallet.WalletTransactions;
import io.fedsearch.federation.payments.userwallet.WalletVault;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * The user wallet's library: key at rest, receipt keys, transactions checked by xrpl.js, export and import. (The
 * purchase path through a hub is tested end to end in processes: web's {@code WalletProcessTest}.)
 */
@Timeout(180)
class UserWalletTest {
  private static final String PLATFORM_A = "12D3KooWPlatformAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  private static final String PLATFORM_B = "12D3KooWPlatformBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

  private static HubTerms hub(String account) {
    return new HubTerms(account, "12D3KooWHub", "00".repeat(32), 100, 5, 1, 3600);
  }

  @Test
  void keyIsEncryptedAtRestMode600AndRestoresFromItsSeed(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("w");
    WalletKey key = WalletKey.generate(KeyType.ED25519);
    String seed = key.base58Seed();
    try (UserWallet w = UserWallet.create(dir, key)) {
      assertThat(w.key().address()).isEqualTo(key.address());
    }
    for (String f : List.of(WalletVault.KEY_FILE, WalletVault.AEAD_FILE, WalletState.FILE)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).isEqualTo("rw-------");
    }
    String onDisk = Files.readString(dir.resolve(WalletVault.KEY_FILE)) + Files.readString(dir.resolve(WalletState.FILE));
    assertThat(onDisk).doesNotContain(seed).contains(key.address().value());
    try (UserWallet again = UserWallet.open(dir)) {
      assertThat(again.key().address()).isEqualTo(key.address());
      assertThat(again.key().base58Seed()).isEqualTo(seed);
    }
    assertThat(WalletKey.restore(seed).address()).isEqualTo(key.address());
    assertThatThrownBy(() -> UserWallet.create(dir, WalletKey.generate(KeyType.ED25519)))
        .hasMessageContaining("already exists");
    // A key file edited to name another account does not decrypt.
    Path keyFile = dir.resolve(WalletVault.KEY_FILE);
    Files.writeString(keyFile, Files.readString(keyFile).replace(key.address().value(),
        XrplAccountKey.generate(KeyType.ED25519).address().value()));
    assertThatThrownBy(() -> UserWallet.open(dir)).hasMessageContaining("cannot be decrypted");
    // xrpl.js derives the same key from the seed: a seed written down here restores in any XRPL wallet.
    JsonNode js = XrplJs.run(List.of(Map.of("kind", "sign_claim", "seed", seed, "channel", "AB".repeat(32),
        "amount", 1))).getFirst();
    assertThat(js.path("public_key").asText()).isEqualToIgnoringCase(key.publicKey().base16Value());
  }

  @Test
  void receiptKeysAreDeterministicPerPlatformAndProvePurchases(@TempDir Path tmp) {
    WalletKey key = WalletKey.generate(KeyType.ED25519);
    ReceiptKeys keys = new ReceiptKeys(key);
    String a = keys.publicKeyHex(PLATFORM_A);
    assertThat(a).hasSize(64).isEqualTo(new ReceiptKeys(WalletKey.restore(key.base58Seed())).publicKeyHex(PLATFORM_A));
    assertThat(keys.publicKeyHex(PLATFORM_B)).isNotEqualTo(a);
    assertThat(new ReceiptKeys(WalletKey.generate(KeyType.ED25519)).publicKeyHex(PLATFORM_A)).isNotEqualTo(a);
    byte[] challenge = "platform A asks: prove sale 42".getBytes(StandardCharsets.UTF_8);
    byte[] proof = keys.signChallenge(PLATFORM_A, challenge);
    assertThat(ReceiptKeys.verifiesChallenge(a, challenge, proof)).isTrue();
    assertThat(ReceiptKeys.verifiesChallenge(keys.publicKeyHex(PLATFORM_B), challenge, proof)).isFalse();
    assertThat(ReceiptKeys.verifiesChallenge(a, "another".getBytes(StandardCharsets.UTF_8), proof)).isFalse();
    // The DID document publishes only the keys named, and refuses more than the ledger's 256 bytes hold.
    ReceiptKeyDocument doc = ReceiptKeyDocument.forPlatforms(keys, List.of(PLATFORM_A));
    assertThat(doc.json()).contains(a).doesNotContain(keys.publicKeyHex(PLATFORM_B));
    assertThatThrownBy(() -> ReceiptKeyDocument.forPlatforms(keys, List.of("p1", "p2", "p3", "p4")))
        .hasMessageContaining("256 bytes");
  }

  @Test
  void createFundCloseDidAndClaimsVerifyWithXrplJs(@TempDir Path tmp) throws Exception {
    String hubAccount = XrplAccountKey.generate(KeyType.ED25519).address().value();
    List<Map<String, Object>> checks = new ArrayList<>();
    List<String> expectTypes = new ArrayList<>();
    for (KeyType type : List.of(KeyType.ED25519, KeyType.SECP256K1)) {
      Path dir = tmp.resolve(type.name());
      try (UserWallet w = UserWallet.create(dir, WalletKey.generate(type))) {
        WalletTransactions txs = new WalletTransactions(w, Optional.empty(), Duration.ofSeconds(5));
        WalletState.TxRecord create = txs.open("http://127.0.0.1:1", hub(hubAccount), 2_000_000, 3600);
        WalletState.TxRecord did = txs.did(ReceiptKeyDocument.forPlatforms(w.receiptKeys(),
            List.of(PLATFORM_A, PLATFORM_B)));
        WalletState.TxRecord fund = txs.fund(500_000);
        WalletState.TxRecord close = txs.close();
        assertThat(create.status).startsWith("kept");
        for (WalletState.TxRecord t : List.of(create, did, fund, close)) {
          checks.add(XrplJs.tx(t.blob));
        }
        expectTypes.addAll(List.of("PaymentChannelCreate", "DIDSet", "PaymentChannelFund", "PaymentChannelClaim"));
        String channel = w.state().channel.id;
        checks.add(XrplJs.channelId(w.key().address().value(), hubAccount, w.state().channel.sequence));
        expectTypes.add("channel_id:" + channel);
        for (long amount : new long[] {1, 1_005, 2_000_000}) {
          checks.add(XrplJs.claim(channel, amount, w.key().signClaim(channel, amount),
              w.key().publicKey().base16Value()));
          expectTypes.add("claim");
        }
        // Without a ledger, sequences follow one another from the create's.
        assertThat(w.state().nextSequence).isEqualTo(w.state().channel.sequence + 4);
        assertThat(w.state().channel.amount).as("a fund kept unsubmitted does not grow the channel")
            .isEqualTo(2_000_000);
      }
    }
    List<JsonNode> res = XrplJs.run(checks);
    for (int i = 0; i < res.size(); i++) {
      String expect = expectTypes.get(i);
      if (expect.startsWith("channel_id:")) {
        assertThat(res.get(i).path("id").asText()).isEqualTo(expect.substring("channel_id:".length()));
      } else {
        assertThat(res.get(i).path("ok").asBoolean()).as(checks.get(i) + " -> " + res.get(i)).isTrue();
        if (!expect.equals("claim")) {
          assertThat(res.get(i).path("type").asText()).isEqualTo(expect);
        }
      }
    }
  }

  @Test
  void openAndFundWithALedgerAreSubmittedAndAwaitedUntilValidated(@TempDir Path tmp) throws Exception {
    try (RippledTestDouble rippled = new RippledTestDouble();
        UserWallet w = UserWallet.create(tmp.resolve("w"), WalletKey.generate(KeyType.ED25519))) {
      ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor();
      closer.scheduleAtFixedRate(rippled::closeLedger, 200, 200, TimeUnit.MILLISECONDS);
      try {
        String hubAccount = XrplAccountKey.generate(KeyType.ED25519).address().value();
        WalletTransactions txs = new WalletTransactions(w, Optional.of(new XrplLedger(rippled.url())),
            Duration.ofSeconds(60));
        WalletState.TxRecord create = txs.open("http://127.0.0.1:1", hub(hubAccount), 3_000_000, 3600);
        assertThat(create.status).isEqualTo("validated: tesSUCCESS");
        assertThat(w.state().channel.onLedger).isTrue();
        String id = w.state().channel.id;
        synchronized (rippled) {
          assertThat(rippled.channels).containsKey(id);
        }
        WalletState.TxRecord fund = txs.fund(1_000_000);
        assertThat(fund.status).isEqualTo("validated: tesSUCCESS");
        assertThat(w.state().channel.amount).isEqualTo(4_000_000);
        synchronized (rippled) {
          assertThat(rippled.channels.get(id).path("Amount").asText()).isEqualTo("4000000");
        }
      } finally {
        closer.shutdownNow();
      }
    }
  }

  @Test
  void transactionsKeptWithoutALedgerAreSubmittedLaterInOrder(@TempDir Path tmp) throws Exception {
    try (RippledTestDouble rippled = new RippledTestDouble();
        UserWallet w = UserWallet.create(tmp.resolve("w"), WalletKey.generate(KeyType.ED25519))) {
      String hubAccount = XrplAccountKey.generate(KeyType.ED25519).address().value();
      WalletTransactions embedded = new WalletTransactions(w, Optional.empty(), Duration.ofSeconds(5));
      embedded.open("http://127.0.0.1:1", hub(hubAccount), 2_000_000, 3600);
      embedded.fund(500_000);
      assertThatThrownBy(embedded::submitKept).hasMessageContaining("--ledger");
      ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor();
      closer.scheduleAtFixedRate(rippled::closeLedger, 200, 200, TimeUnit.MILLISECONDS);
      try {
        List<WalletState.TxRecord> done = new WalletTransactions(w, Optional.of(new XrplLedger(rippled.url())),
            Duration.ofSeconds(60)).submitKept();
        assertThat(done).extracting(t -> t.kind + " " + t.status)
            .containsExactly("create validated: tesSUCCESS", "fund validated: tesSUCCESS");
        assertThat(w.state().channel.onLedger).isTrue();
        assertThat(w.state().channel.amount).isEqualTo(2_500_000);
        synchronized (rippled) {
          assertThat(rippled.channels.get(w.state().channel.id).path("Amount").asText()).isEqualTo("2500000");
        }
      } finally {
        closer.shutdownNow();
      }
    }
  }

  @Test
  void exportImportsIntoAnotherDirectoryAndAStaleExportNeverLowersTheFloor(@TempDir Path tmp) throws Exception {
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    Path early = tmp.resolve("early.json");
    Path late = tmp.resolve("late.json");
    char[] pass = "correct horse battery".toCharArray();
    String hubAccount = XrplAccountKey.generate(KeyType.ED25519).address().value();
    String channel;
    try (UserWallet w = UserWallet.create(first, WalletKey.generate(KeyType.ED25519))) {
      new WalletTransactions(w, Optional.empty(), Duration.ofSeconds(5)).open("http://127.0.0.1:1",
          hub(hubAccount), 2_000_000, 3600);
      channel = w.state().channel.id;
      w.state().reserve(1_000);
      w.state().signed(1_000, w.key().signClaim(channel, 1_000));
      w.save();
      WalletExport.export(w, early, pass);
      w.state().reserve(5_000);
      w.state().signed(5_000, w.key().signClaim(channel, 5_000));
      w.save();
      WalletExport.export(w, late, pass);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(late))).isEqualTo("rw-------");
    assertThat(Files.readString(late)).doesNotContain(WalletVault.load(first).base58Seed());
    assertThatThrownBy(() -> WalletExport.importInto(second, late, "wrong passphrase".toCharArray()))
        .hasMessageContaining("wrong passphrase");
    try (UserWallet w = WalletExport.importInto(second, late, pass)) {
      assertThat(w.key().address()).isEqualTo(WalletVault.load(first).address());
      assertThat(w.state().channel.id).isEqualTo(channel);
      assertThat(w.state().signedMax).isEqualTo(5_000);
      assertThat(w.state().needsSync).isTrue();
      assertThat(w.receiptKeys().publicKeyHex(PLATFORM_A))
          .isEqualTo(new ReceiptKeys(WalletVault.load(first)).publicKeyHex(PLATFORM_A));
    }
    // The stale export into the same directory: every money figure keeps its higher value.
    try (UserWallet w = WalletExport.importInto(second, early, pass)) {
      assertThat(w.state().signedMax).isEqualTo(5_000);
      assertThat(w.state().signatureAmount).isEqualTo(5_000);
      assertThatThrownBy(() -> w.state().signed(5_000, "00")).hasMessageContaining("already signed");
      assertThatThrownBy(() -> w.state().signed(6_000, "00")).hasMessageContaining("not the amount reserved");
      assertThatThrownBy(() -> w.state().reserve(5_000)).hasMessageContaining("already signed");
      assertThat(w.state().claims).extracting(c -> c.amount).containsExactly(1_000L, 5_000L);
    }
    // Another account's export is refused, whatever the passphrase.
    Path other = tmp.resolve("other");
    Path otherFile = tmp.resolve("other.json");
    try (UserWallet o = UserWallet.create(other, WalletKey.generate(KeyType.ED25519))) {
      WalletExport.export(o, otherFile, pass);
    }
    assertThatThrownBy(() -> WalletExport.importInto(second, otherFile, pass)).hasMessageContaining("import into an"
        + " empty directory");
    // A file altered to claim another address fails authentication.
    Path forged = tmp.resolve("forged.json");
    Files.writeString(forged, Files.readString(late).replace(WalletVault.load(first).address().value(),
        WalletVault.load(other).address().value()));
    assertThatThrownBy(() -> WalletExport.importInto(tmp.resolve("third"), forged, pass))
        .hasMessageContaining("wrong passphrase, or the export file was altered");
  }
}
