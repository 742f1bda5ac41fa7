package io.fedsearch.federation.payments.userwallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.subtle.AesGcmJce;
import io.fedsearch.core.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.bouncycastle.crypto.generators.SCrypt;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * The wallet as one portable JSON file, so another machine continues the same channel:
 *
 * <pre>
 * {"format": "fedsearch-wallet-export", "v": 1, "exported_at": ISO-8601,
 *  "address": "r…", "key_type": "ED25519" | "SECP256K1",
 *  "key": {"kdf": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": base64 (16 bytes),
 *          "cipher": "AES-256-GCM", "ciphertext": base64 (12-byte IV ‖ encrypted 16-byte seed ‖ 16-byte tag)},
 *  "state": {the wallet's state.json: hub, channel (with the signed create), signed_max, signature_amount,
 *            signed_signature (the best claim), authorised, consumed, pending, receipts, credit_notes, transactions}}
 * </pre>
 *
 * The seed is encrypted under a key that scrypt derives from the user's passphrase; the associated data is
 * {@code "fedsearch-wallet-export-v1:" + key_type + ":" + address}, so a file edited to name another account fails to
 * decrypt. The state is not encrypted (it holds no secret: claims are only good to the hub they pay). Import
 * ({@link #importInto}) merges it into the target wallet taking the higher value of every money field, and marks it
 * {@code needs_sync}, because a stale file may predate claims signed since; export marks the exporting wallet the same
 * way, since the copy may sign before this one signs again.
 */
public final class WalletExport {
  public static final String FORMAT = "fedsearch-wallet-export";
  static final int SCRYPT_N = 1 << 15;
  static final int SCRYPT_R = 8;
  static final int SCRYPT_P = 1;
  /** Largest export file read; receipts are a few hundred bytes each. */
  static final long MAX_FILE_BYTES = 64L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private WalletExport() {}

  /** Writes {@code wallet} to {@code file} (mode 600) with its seed encrypted under {@code passphrase}. */
  public static void export(UserWallet wallet, Path file, char[] passphrase) {
    requirePassphrase(passphrase);
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    WalletKey key = wallet.key();
    byte[] aesKey = derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P);
    byte[] entropy = key.entropy();
    try {
      byte[] ct = new AesGcmJce(aesKey).encrypt(entropy, aad(key.keyType(), key.address().value()));
      ObjectNode o = JSON.createObjectNode().put("format", FORMAT).put("v", 1)
          .put("exported_at", Instant.now().toString()).put("address", key.address().value())
          .put("key_type", key.keyType().name());
      o.putObject("key").put("kdf", "scrypt").put("n", SCRYPT_N).put("r", SCRYPT_R).put("p", SCRYPT_P)
          .put("salt", Base64.getEncoder().encodeToString(salt)).put("cipher", "AES-256-GCM")
          .put("ciphertext", Base64.getEncoder().encodeToString(ct));
      o.set("state", WalletState.JSON.readTree(wallet.state().toJson()));
      PrivateFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
      // A copy may now sign elsewhere: this one, too, learns the hub's figures before it signs again.
      wallet.state().needsSync = true;
      wallet.save();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot export the wallet: " + e.getMessage(), e);
    } finally {
      Arrays.fill(aesKey, (byte) 0);
      Arrays.fill(entropy, (byte) 0);
    }
  }

  /**
   * Imports {@code file} into {@code dir}: creates the wallet there if none, else merges into the wallet of the same
   * account (refusing another account or another channel). Returns the opened wallet.
   */
  public static UserWallet importInto(Path dir, Path file, char[] passphrase) {
    JsonNode o = read(file);
    KeyType type;
    try {
      type = KeyType.valueOf(o.path("key_type").asText("").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("export file names no key_type ed25519|secp256k1");
    }
    String address = o.path("address").asText("");
    JsonNode k = o.path("key");
    if (!"scrypt".equals(k.path("kdf").asText()) || !"AES-256-GCM".equals(k.path("cipher").asText())) {
      throw new IllegalArgumentException("export file uses an unknown kdf or cipher");
    }
    int n = k.path("n").asInt();
    int r = k.path("r").asInt();
    int p = k.path("p").asInt();
    // Bounds on the work factors a hostile file could ask for (memory is 128·n·r bytes).
    if (n < 2 || n > (1 << 20) || Integer.bitCount(n) != 1 || r < 1 || r > 16 || p < 1 || p > 4) {
      throw new IllegalArgumentException("export file asks for scrypt parameters out of bounds");
    }
    byte[] aesKey = derive(passphrase, Base64.getDecoder().decode(k.path("salt").asText("")), n, r, p);
    byte[] entropy;
    try {
      entropy = new AesGcmJce(aesKey).decrypt(Base64.getDecoder().decode(k.path("ciphertext").asText("")),
          aad(type, address));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("wrong passphrase, or the export file was altered");
    } finally {
      Arrays.fill(aesKey, (byte) 0);
    }
    WalletKey key = WalletKey.of(type, entropy);
    Arrays.fill(entropy, (byte) 0);
    if (!key.address().value().equals(address)) {
      throw new IllegalArgumentException("export file's key does not match its address " + address);
    }
    WalletState imported = WalletState.fromJson(o.path("state"));
    UserWallet w = WalletVault.exists(dir) ? UserWallet.open(dir) : UserWallet.create(dir, key);
    try {
      if (!w.key().address().equals(key.address())) {
        throw new IllegalStateException("the wallet in " + dir + " is " + w.key().address().value()
            + ", the export is " + address + ": import into an empty directory");
      }
      WalletState s = w.state();
      if (s.channel != null && imported.channel != null && !s.channel.id.equals(imported.channel.id)) {
        throw new IllegalStateException("the wallet in " + dir + " pays channel " + s.channel.id
            + ", the export channel " + imported.channel.id);
      }
      s.mergeFrom(imported);
      s.needsSync = true;
      w.save();
      return w;
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  private static JsonNode read(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("export file larger than " + MAX_FILE_BYTES + " bytes");
      }
      JsonNode o = JSON.readTree(Files.readString(file));
      if (!FORMAT.equals(o.path("format").asText()) || o.path("v").asInt() != 1) {
        throw new IllegalArgumentException(file + " is not a fedsearch wallet export (v1)");
      }
      return o;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void requirePassphrase(char[] passphrase) {
    if (passphrase == null || passphrase.length < 8) {
      throw new IllegalArgumentException("the export passphrase needs at least 8 characters");
    }
  }

  private static byte[] derive(char[] passphrase, byte[] salt, int n, int r, int p) {
    byte[] pw = new String(passphrase).getBytes(StandardCharsets.UTF_8);
    try {
      return SCrypt.generate(pw, salt, n, r, p, 32);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  private static byte[] aad(KeyType type, String address) {
    return ("fedsearch-wallet-export-v1:" + type.name() + ":" + address).getBytes(StandardCharsets.US_ASCII);
  }
}
