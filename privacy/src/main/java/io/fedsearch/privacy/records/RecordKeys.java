package io.fedsearch.privacy.records;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import io.fedsearch.core.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The two Tink keysets that protect payment records, in the node directory: {@value #AEAD_FILE} (AES-256-GCM,
 * encrypts each event; rotation adds a new primary and keeps old keys for decryption) and {@value #PRF_FILE}
 * (HMAC-SHA256 PRF, the node secret that turns a payer account into a pseudonym). The keys never leave this class:
 * callers get encrypt/decrypt and pseudonyms. The PRF key is deliberately never rotated: a new PRF key would make
 * one payer look like two and break distinct-payer counts and contribution bounding.
 */
public final class RecordKeys {
  public static final String AEAD_FILE = "keys/records-aead.json";
  public static final String PRF_FILE = "keys/records-prf.json";
  private static final byte[] PRF_DOMAIN = "fedsearch/privacy/payer/v1\n".getBytes(StandardCharsets.UTF_8);

  static {
    try {
      AeadConfig.register();
      PrfConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Path nodeDir;
  /** Swapped whole by {@link #rotate()}; Tink's primitives are thread-safe, so reads take no lock. */
  private volatile KeysetHandle aeadHandle;
  private volatile Aead aead;
  private final java.util.concurrent.locks.ReentrantLock rotating = new java.util.concurrent.locks.ReentrantLock();
  private final PrfSet prf;

  private RecordKeys(Path nodeDir, KeysetHandle aeadHandle, KeysetHandle prfHandle) throws GeneralSecurityException {
    this.nodeDir = nodeDir;
    this.aeadHandle = aeadHandle;
    this.aead = aeadHandle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    this.prf = prfHandle.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
  }

  /**
   * Loads the keysets of {@code nodeDir}. A missing keyset is created only when {@code mayCreate} (no encrypted
   * records exist yet); otherwise its absence is an error naming the file, since records under it are unreadable.
   */
  public static RecordKeys load(Path nodeDir, boolean mayCreate) {
    KeysetHandle a = loadOrCreate(nodeDir, AEAD_FILE, mayCreate, true);
    KeysetHandle p = loadOrCreate(nodeDir, PRF_FILE, mayCreate, false);
    try {
      return new RecordKeys(nodeDir, a, p);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("keysets in " + nodeDir.resolve("keys") + " are not usable: " + e.getMessage(), e);
    }
  }

  private static KeysetHandle loadOrCreate(Path nodeDir, String name, boolean mayCreate, boolean isAead) {
    Path file = nodeDir.resolve(name);
    if (!Files.exists(file)) {
      if (!mayCreate) {
        throw new IllegalStateException(
            "keyset " + file + " is missing, but privacy.db holds encrypted payment events that need it;"
                + " restore the keyset from backup (the events cannot be read without it)");
      }
      try {
        KeysetHandle h = KeysetHandle.generateNew(
            isAead ? PredefinedAeadParameters.AES256_GCM : PredefinedPrfParameters.HMAC_SHA256_PRF);
        PrivateFiles.writeAtomically(file, TinkJsonProtoKeysetFormat.serializeKeyset(h, InsecureSecretKeyAccess.get()));
        return h;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot generate keyset " + file, e);
      }
    }
    try {
      KeysetHandle h = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file), InsecureSecretKeyAccess.get());
      // Fail on the wrong kind of keyset here, not on first use.
      if (isAead) {
        h.getPrimitive(RegistryConfiguration.get(), Aead.class);
      } else {
        h.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
      }
      return h;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException("keyset " + file + " is not a valid Tink " + (isAead ? "AEAD" : "PRF")
          + " keyset: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read keyset " + file, e);
    }
  }

  byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    return aead.encrypt(plaintext, associatedData);
  }

  byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
    return aead.decrypt(ciphertext, associatedData);
  }

  /** The payer's pseudonym: hex of 32 bytes of HMAC-SHA256 under the node secret. Not invertible without the key. */
  public String pseudonym(String payerAccount) {
    byte[] acct = payerAccount.getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[PRF_DOMAIN.length + acct.length];
    System.arraycopy(PRF_DOMAIN, 0, input, 0, PRF_DOMAIN.length);
    System.arraycopy(acct, 0, input, PRF_DOMAIN.length, acct.length);
    try {
      return HexFormat.of().formatHex(prf.computePrimary(input, 32));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PRF failed", e);
    }
  }

  /**
   * Adds a fresh AES-256-GCM key as primary and persists the keyset (atomically, mode 600). New events use it; old
   * ones still decrypt (Tink picks the key by the ciphertext's key id).
   */
  public void rotate() {
    rotating.lock(); // a lock, not a monitor: the keyset is written to disk
    try {
      KeysetHandle next = KeysetHandle.newBuilder(aeadHandle)
          .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
              .withRandomId().makePrimary())
          .build();
      Aead nextAead = next.getPrimitive(RegistryConfiguration.get(), Aead.class);
      PrivateFiles.writeAtomically(nodeDir.resolve(AEAD_FILE),
          TinkJsonProtoKeysetFormat.serializeKeyset(next, InsecureSecretKeyAccess.get()));
      aeadHandle = next;
      aead = nextAead;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot rotate " + AEAD_FILE, e);
    } finally {
      rotating.unlock();
    }
  }

  /** Number of AEAD keys (1 + rotations). */
  public int aeadKeyCount() {
    return aeadHandle.size();
  }
}
