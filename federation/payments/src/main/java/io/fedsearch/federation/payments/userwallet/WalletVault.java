package io.fedsearch.federation.payments.userwallet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import io.fedsearch.federation.payments.wallet.SealedSeed;
import java.util.Arrays;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * The wallet key at rest, as the node keeps its own XRPL key ({@code XrplAccountKey}): the 16-byte seed entropy
 * encrypted ({@value #KEY_FILE}) with a Tink AES-256-GCM keyset ({@value #AEAD_FILE}), the key type and address as
 * associated data and in the clear, both files mode 600 and written atomically and durably ({@link SealedSeed}).
 */
public final class WalletVault {
  public static final String KEY_FILE = "keys/wallet-key.json";
  public static final String AEAD_FILE = "keys/wallet-aead.json";
  private WalletVault() {}

  public static boolean exists(Path dir) {
    return Files.exists(dir.resolve(KEY_FILE));
  }

  /** Stores {@code key} in {@code dir}; refuses to overwrite a wallet key already there. */
  public static void store(Path dir, WalletKey key) {
    if (exists(dir)) {
      throw new IllegalStateException("a wallet already exists in " + dir + " (its key is never overwritten)");
    }
    byte[] entropy = key.entropy();
    try {
      SealedSeed.seal(dir.resolve(KEY_FILE), dir.resolve(AEAD_FILE), key.keyType(), key.address().value(), entropy,
          associatedData(key.keyType(), key.address().value()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot store the wallet key in " + dir, e);
    } finally {
      Arrays.fill(entropy, (byte) 0);
    }
  }

  /** Loads the wallet key of {@code dir}; fails naming the file when missing, tampered or undecryptable. */
  public static WalletKey load(Path dir) {
    Path keyFile = dir.resolve(KEY_FILE);
    Path aeadFile = dir.resolve(AEAD_FILE);
    if (!Files.isRegularFile(keyFile) || !Files.isRegularFile(aeadFile)) {
      throw new IllegalStateException("no wallet in " + dir + " (run `fedsearch wallet init`)");
    }
    byte[] entropy = null;
    try {
      SealedSeed.Opened o = SealedSeed.open(keyFile, aeadFile, WalletVault::associatedData);
      entropy = o.entropy();
      WalletKey key = WalletKey.of(o.type(), entropy);
      if (!key.address().value().equals(o.address())) {
        throw new IllegalStateException("wallet key " + keyFile + " does not match its address " + o.address());
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read wallet key " + keyFile, e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("wallet key " + keyFile + " cannot be decrypted with " + aeadFile, e);
    } finally {
      if (entropy != null) {
        Arrays.fill(entropy, (byte) 0);
      }
    }
  }

  private static byte[] associatedData(KeyType type, String address) {
    return ("fedsearch-user-wallet-v1:" + type.name() + ":" + address).getBytes(StandardCharsets.US_ASCII);
  }
}
