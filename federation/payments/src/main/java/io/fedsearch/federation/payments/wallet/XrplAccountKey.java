package io.fedsearch.federation.payments.wallet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import org.xrpl.xrpl4j.crypto.keys.Entropy;
import org.xrpl.xrpl4j.crypto.keys.KeyPair;
import org.xrpl.xrpl4j.crypto.keys.PrivateKey;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;
import org.xrpl.xrpl4j.crypto.keys.Seed;
import org.xrpl.xrpl4j.model.transactions.Address;
import org.xrpl.xrpl4j.model.transactions.Transaction;

/**
 * The node's XRPL account key: signs channel claims and ledger transactions. The 16-byte seed entropy is stored
 * encrypted ({@code keys/xrpl-account.json}) with a Tink AES-256-GCM keyset ({@code keys/xrpl-account-aead.json}),
 * both mode 600 ({@link SealedSeed}). The private key never leaves this class: callers get {@link #signClaim},
 * {@link #sign(Transaction)}, the address and the public key.
 */
public final class XrplAccountKey {
  public static final String KEY_FILE = "keys/xrpl-account.json";
  public static final String AEAD_FILE = "keys/xrpl-account-aead.json";

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final Address address;

  private XrplAccountKey(KeyPair pair) {
    this.privateKey = pair.privateKey();
    this.publicKey = pair.publicKey();
    this.address = publicKey.deriveAddress();
  }

  /** A fresh, unpersisted key (tests, simulated users). */
  public static XrplAccountKey generate(KeyType type) {
    return fromEntropy(type, Entropy.newInstance().value().toByteArray());
  }

  /** A key from 16 bytes of seed entropy: for deterministic fixtures only. */
  public static XrplAccountKey fromEntropy(KeyType type, byte[] entropy) {
    Entropy e = Entropy.of(entropy);
    Seed seed = type == KeyType.ED25519 ? Seed.ed25519SeedFromEntropy(e) : Seed.secp256k1SeedFromEntropy(e);
    return new XrplAccountKey(seed.deriveKeyPair());
  }

  /**
   * Loads the account key of {@code nodeDir}, creating one of {@code typeIfNew} when absent. An existing key keeps
   * its type whatever {@code typeIfNew} says.
   */
  public static XrplAccountKey loadOrCreate(Path nodeDir, KeyType typeIfNew) {
    Path keyFile = nodeDir.resolve(KEY_FILE);
    if (Files.exists(keyFile)) {
      return load(nodeDir);
    }
    byte[] entropy = Entropy.newInstance().value().toByteArray();
    try {
      XrplAccountKey key = fromEntropy(typeIfNew, entropy);
      SealedSeed.seal(keyFile, nodeDir.resolve(AEAD_FILE), typeIfNew, key.address().value(), entropy,
          associatedData(typeIfNew));
      return key;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create XRPL account key in " + nodeDir, e);
    } finally {
      Arrays.fill(entropy, (byte) 0);
    }
  }

  /** Loads an existing account key; fails naming the file when it is missing, tampered or undecryptable. */
  public static XrplAccountKey load(Path nodeDir) {
    Path keyFile = nodeDir.resolve(KEY_FILE);
    Path aeadFile = nodeDir.resolve(AEAD_FILE);
    if (!Files.isRegularFile(keyFile) || !Files.isRegularFile(aeadFile)) {
      throw new IllegalStateException("no XRPL account key at " + keyFile + " (created when the node first starts)");
    }
    try {
      SealedSeed.Opened o = SealedSeed.open(keyFile, aeadFile, (type, address) -> associatedData(type));
      XrplAccountKey key = fromEntropy(o.type(), o.entropy());
      Arrays.fill(o.entropy(), (byte) 0);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read XRPL account key " + keyFile, e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("XRPL account key " + keyFile + " cannot be decrypted with " + aeadFile, e);
    }
  }

  private static byte[] associatedData(KeyType type) {
    return ("fedsearch-xrpl-account-v1:" + type.name()).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Signs the cumulative claim "{@code drops} in total over channel {@code channelIdHex}" (the ledger's
   * {@code CLM\0 ‖ channel ‖ UInt64} message); returns the signature as upper-case hex.
   */
  public String signClaim(String channelIdHex, long drops) {
    return XrplSigning.signClaim(privateKey, channelIdHex, drops);
  }


  /**
   * Signs a transaction; it must carry this key as {@code SigningPubKey}. Builds the blob itself rather than through
   * xrpl4j's {@code SingleSignedTransaction}, whose construction creates a new Jackson ObjectMapper per call (tens of
   * milliseconds each); the signature is xrpl4j's own (same signable bytes, same BouncyCastle signer), and the
   * tests check every blob with xrpl.js.
   */
  public <T extends Transaction> SignedTx<T> sign(T unsigned) {
    if (!unsigned.signingPublicKey().equals(publicKey)) {
      throw new IllegalArgumentException("transaction SigningPubKey is not this account's key");
    }
    return XrplSigning.sign(privateKey, unsigned);
  }


  public Address address() {
    return address;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public KeyType keyType() {
    return publicKey.keyType();
  }

  @Override
  public String toString() {
    return "XrplAccountKey[" + address.value() + ", " + keyType() + "]";
  }
}
