package io.fedsearch.federation.payments.wallet;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.function.BiFunction;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * XRPL seed entropy at rest — the one way both the node's account key ({@link XrplAccountKey}) and a user's wallet key
 * ({@code userwallet.WalletVault}) are kept: a fresh Tink AES-256-GCM keyset in its own file, and a JSON document
 * {@code {v: 1, key_type, address, ciphertext}} whose ciphertext is the 16-byte entropy encrypted under caller-chosen
 * associated data (so a key file cannot be passed off as the other kind, or another address's). Both files are
 * written through {@link PrivateFiles} (mode 600, atomic, durable). Callers zero the entropy they pass and receive.
 */
public final class SealedSeed {
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private SealedSeed() {}

  /** An opened seed: its type, the address stored beside it (unchecked here), and the entropy (caller zeroes it). */
  public record Opened(KeyType type, String address, byte[] entropy) {}

  /** Seals {@code entropy} into {@code keyFile}, with a new keyset in {@code aeadFile}. */
  public static void seal(Path keyFile, Path aeadFile, KeyType type, String address, byte[] entropy,
      byte[] associatedData) throws IOException, GeneralSecurityException {
    KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    PrivateFiles.writeAtomically(aeadFile, TinkJsonProtoKeysetFormat.serializeKeyset(keyset,
        InsecureSecretKeyAccess.get()));
    Aead aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
    ObjectNode doc = JSON.createObjectNode();
    doc.put("v", 1);
    doc.put("key_type", type.name());
    doc.put("address", address);
    doc.put("ciphertext", Base64.getEncoder().encodeToString(aead.encrypt(entropy, associatedData)));
    PrivateFiles.writeAtomically(keyFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
  }

  /**
   * Opens {@code keyFile} with the keyset of {@code aeadFile}; {@code associatedData} is built from the type and
   * address the file states, so a file whose stated type or address was changed does not decrypt.
   */
  public static Opened open(Path keyFile, Path aeadFile, BiFunction<KeyType, String, byte[]> associatedData)
      throws IOException, GeneralSecurityException {
    JsonNode doc = JSON.readTree(Files.readString(keyFile));
    KeyType type = KeyType.valueOf(doc.path("key_type").asText("").toUpperCase(Locale.ROOT));
    String address = doc.path("address").asText("");
    Aead aead = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(aeadFile), InsecureSecretKeyAccess.get())
        .getPrimitive(RegistryConfiguration.get(), Aead.class);
    byte[] entropy = aead.decrypt(Base64.getDecoder().decode(doc.path("ciphertext").asText("")),
        associatedData.apply(type, address));
    return new Opened(type, address, entropy);
  }
}
