package io.fedsearch.federation.payments.userwallet;

import io.fedsearch.federation.payments.wallet.XrplSigning;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.federation.payments.wallet.SignedTx;
import org.xrpl.xrpl4j.codec.addresses.SeedCodec;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import org.xrpl.xrpl4j.codec.addresses.UnsignedByteArray;
import org.xrpl.xrpl4j.crypto.keys.Base58EncodedSecret;
import org.xrpl.xrpl4j.crypto.keys.Entropy;
import org.xrpl.xrpl4j.crypto.keys.KeyPair;
import org.xrpl.xrpl4j.crypto.keys.PrivateKey;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;
import org.xrpl.xrpl4j.crypto.keys.Seed;
import org.xrpl.xrpl4j.model.jackson.ObjectMapperFactory;
import org.xrpl.xrpl4j.model.transactions.Address;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelCreate;
import org.xrpl.xrpl4j.model.transactions.Transaction;

/**
 * The user's XRPL account key, held by the wallet: made from 16 bytes of seed entropy (the XRPL "family seed"), it
 * signs channel claims and the wallet's ledger transactions (PaymentChannelCreate/Fund/Claim, DIDSet), and it is the
 * root the per-platform receipt keys are derived from ({@link ReceiptKeys}). The seed and private key never leave
 * this class except as ciphertext ({@link WalletVault}, {@link WalletExport}).
 */
public final class WalletKey {
  private static final ObjectMapper MAPPER = ObjectMapperFactory.create();

  private final byte[] entropy;
  private final KeyType type;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final Address address;

  private WalletKey(KeyType type, byte[] entropy) {
    if (entropy.length != 16) {
      throw new IllegalArgumentException("an XRPL seed has 16 bytes of entropy, got " + entropy.length);
    }
    this.entropy = entropy.clone();
    this.type = type;
    Entropy e = Entropy.of(entropy);
    Seed seed = type == KeyType.ED25519 ? Seed.ed25519SeedFromEntropy(e) : Seed.secp256k1SeedFromEntropy(e);
    KeyPair pair = seed.deriveKeyPair();
    this.privateKey = pair.privateKey();
    this.publicKey = pair.publicKey();
    this.address = publicKey.deriveAddress();
  }

  /** A new key from fresh random entropy. */
  public static WalletKey generate(KeyType type) {
    return new WalletKey(type, Entropy.newInstance().value().toByteArray());
  }

  /** The key of a base58 family seed ({@code sEd…} for ed25519, {@code s…} for secp256k1), as xrpl.js and XUMM use. */
  public static WalletKey restore(String base58Seed) {
    Seed seed;
    try {
      seed = Seed.fromBase58EncodedSecret(Base58EncodedSecret.of(base58Seed.strip()));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not an XRPL family seed (expected s… in base58)");
    }
    KeyType type = seed.decodedSeed().type().orElse(KeyType.SECP256K1);
    return new WalletKey(type, seed.decodedSeed().bytes().toByteArray());
  }

  /** The key of stored entropy (package-private: only the vault and the export file hold entropy). */
  static WalletKey of(KeyType type, byte[] entropy) {
    return new WalletKey(type, entropy);
  }

  /** A copy of the seed entropy, for encryption only; callers wipe it. */
  byte[] entropy() {
    return entropy.clone();
  }

  /** The base58 family seed (for the user to write down; only on explicit request). */
  public String base58Seed() {
    return SeedCodec.getInstance().encodeSeed(UnsignedByteArray.of(entropy), type);
  }

  /** Signs the ledger's claim message for {@code drops} in total over {@code channel}; upper-case hex. */
  public String signClaim(String channel, long drops) {
    return XrplSigning.signClaim(privateKey, channel, drops);
  }


  /** Signs a transaction that carries this key as SigningPubKey; the blob and hash are the ledger's. */
  public <T extends Transaction> SignedTx<T> sign(T unsigned) {
    if (!unsigned.signingPublicKey().equals(publicKey)) {
      throw new IllegalArgumentException("transaction SigningPubKey is not this wallet's key");
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
    return type;
  }

  @Override
  public String toString() {
    return "WalletKey[" + address.value() + ", " + type + "]";
  }
}
