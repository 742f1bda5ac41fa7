package io.fedsearch.federation.payments.userwallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.fedsearch.core.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * The wallet key at rest, as the node keeps its own XRPL key ({@code XrplAccountKey}): the 16-byte seed entropy
 * encrypted ({@value #KEY_FILE}) with a Tink AES-256-GCM keyset ({@value #AEAD_FILE}), the key type and address as
 * associated data and in the clear, both files mode 600 and written atomically and durably ({@link PrivateFiles}).
 */
public final class WalletVault {
  public static final String KEY_FILE = "keys/wallet-key.json";
  public static final String AEAD_FILE = "keys/wallet-aead.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

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
      KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
      PrivateFiles.writeAtomically(dir.resolve(AEAD_FILE),
          TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get()));
      Aead aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
      ObjectNode doc = JSON.createObjectNode();
      doc.put("v", 1);
      doc.put("key_type", key.keyType().name());
      doc.put("address", key.address().value());
      doc.put("ciphertext", Base64.getEncoder().encodeToString(
          aead.encrypt(entropy, associatedData(key.keyType(), key.address().value()))));
      PrivateFiles.writeAtomically(dir.resolve(KEY_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
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
      JsonNode doc = JSON.readTree(Files.readString(keyFile));
      KeyType type = KeyType.valueOf(doc.path("key_type").asText("").toUpperCase(Locale.ROOT));
      String address = doc.path("address").asText("");
      Aead aead = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(aeadFile), InsecureSecretKeyAccess.get())
          .getPrimitive(RegistryConfiguration.get(), Aead.class);
      entropy = aead.decrypt(Base64.getDecoder().decode(doc.path("ciphertext").asText("")),
          associatedData(type, address));
      WalletKey key = WalletKey.of(type, entropy);
      if (!key.address().value().equals(address)) {
        throw new IllegalStateException("wallet key " + keyFile + " does not match its address " + address);
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
